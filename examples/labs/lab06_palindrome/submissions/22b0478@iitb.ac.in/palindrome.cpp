  #include <iostream>
#include <string>
using namespace std;

int main() {
    string word;
      cin >> word;
 int len = word.length();
      bool same = true;
     int i = 0, j = len - 1;
while (i < len) {
if (word[i] != word[j]) {
   same = false;
    break;
      }
     i++;
       j--;
   }
   if (same) {
      cout << "Yes" << endl;
   } else {
    cout << "No" << endl;
    }
   return 0;
}

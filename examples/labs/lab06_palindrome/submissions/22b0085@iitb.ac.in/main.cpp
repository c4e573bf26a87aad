#include <iostream>
  #include <string>
using namespace std;

 int main() {
 string w;
  cin >> w;
  int l = w.length();
 bool f = true;

   int i = 0, j = l;
     while (i < j) {
if (w[i] != w[j]) {
 f = false;
break;
       }
 i++;
j--;
     }

if (f) {
cout << "Yes" << endl;
  } else {
cout << "No" << endl;
   }
  return 0;
}

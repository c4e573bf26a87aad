#include <iostream>
 #include <string>
using namespace std;

 int main() {
string input;
     cin >> input;
 int len = input.length();
bool is_palindrome = true;

  int i = 0, j = len - 1;
 while (i < len) {
    if (input[i] != input[j]) {
is_palindrome = false;
 break;
           }
     i++;
    j--;
   }

if (is_palindrome) {
 cout << "true" << endl;
   } else {
            cout << "false" << endl;
   }
return 0;
 }

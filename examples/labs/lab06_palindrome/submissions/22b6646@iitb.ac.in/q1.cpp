#include <bits/stdc++.h>
using namespace std;

  int main()
{
       string input;
 cout << "Enter the string: ";
  cin >> input;
int len = input.length();
     bool palindrome = true;
  for (int i = 0; i < len; i++)
   {
   if (input[i] != input[len - i])
     {
        palindrome = false;
               break;
   }
  }
if (palindrome)
     {
      cout << "Palindrome" << endl;
 }
   else
 {
      cout << "Not palindrome" << endl;
  }
 return 0;
}

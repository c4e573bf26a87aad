 #include <iostream>
#include <string>
using namespace std;

int main()
{
string text;
cin >> text;
  int len = text.size();
bool palindrome = true;

for (int i = 0; i < len / 2; i++)
{
if (text[i] != text[len - 1 - i])
{
   palindrome = false;
break;
 }
}

if (palindrome)
{
  cout << "Yes" << endl;
}
else
{
cout << "No" << endl;
}
return 0;
}

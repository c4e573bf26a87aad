#include <bits/stdc++.h>

bool isPalindrome(std::string text)
{
int length = text.length();
for (int i = 0; i < length / 2 - 1; i++)
{
if (text[i] != text[length - 1 - i])
{
return false;
}
 }
return true;
}

int main()
{
std::string text;
std::cin >> text;
  if (isPalindrome(text))
{
std::cout << "Yes" << "\n";
}
else
{
   std::cout << "No" << "\n";
}
 return 0;
}

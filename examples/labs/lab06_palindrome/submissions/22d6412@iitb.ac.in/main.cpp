// Check if a word is a palindrome
#include <bits/stdc++.h>
using namespace std;

// true if word reads the same in both directions
bool check_palindrome(string word)
{
  int size = word.length();
  // compare characters from both ends
  for (int i = 0; i < size; i++)
  {
    if (word[i] != word[size - 1 - i])
    {
      return false;
    }
  }
  return true;
}

int main(void)
{
  string word;
  cin >> word;
  // print the answer
  if (check_palindrome(word))
  {
    cout << "Yes" << "\n";
  }
  else
  {
    cout << "No" << "\n";
  }
  return 0;
}

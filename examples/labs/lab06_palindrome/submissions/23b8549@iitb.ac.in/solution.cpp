// Check if a word is a palindrome
#include <bits/stdc++.h>
using namespace std;

int main() {
  string word;
  cin >> word;
  int length = word.length();
  bool isPalindrome = true;

  // compare characters from both ends
  for (int i = 0; i < length / 2; i++) {
    if (word[i] != word[length - 1 - i]) {
      isPalindrome = false;
      break;
    }
  }

  // print the answer
  if (isPalindrome) {
    cout << "Yes" << "\n";
  } else {
    cout << "No" << "\n";
  }
  return 0;
}

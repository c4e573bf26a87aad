// Check if a word is a palindrome
#include <bits/stdc++.h>

// true if text reads the same in both directions
bool check_palindrome(std::string text) {
  int size = text.length();
  // compare characters from both ends
  for (int i = 0; i < size / 2; i++) {
    if (text[i] != text[size - i]) {
      return false;
    }
  }
  return true;
}

int main() {
  std::string text;
  std::cout << "Enter a word: ";
  std::cin >> text;
  // print the answer
  if (check_palindrome(text)) {
    std::cout << "Yes" << std::endl;
  } else {
    std::cout << "No" << std::endl;
  }
  return 0;
}

#include <iostream>
#include <string>

// true if word reads the same in both directions
bool checkPalindrome(std::string word) {
  int len = word.length();
  // compare characters from both ends
  for (int i = 0; i < len / 2; i++) {
    if (word[i] != word[len - 1 - i]) {
      return false;
    }
  }
  return true;
}

int main() {
  std::string word;
  std::cin >> word;
  // print the answer
  if (checkPalindrome(word)) {
    std::cout << "Yes" << std::endl;
  } else {
    std::cout << "No" << std::endl;
  }
  return 0;
}

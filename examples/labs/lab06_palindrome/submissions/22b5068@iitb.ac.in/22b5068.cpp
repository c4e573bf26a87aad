#include <iostream>
#include <string>

// true if text reads the same in both directions
bool isPalindrome(std::string text) {
  int size = text.length();
  // compare characters from both ends
  for (int i = 0; i < size / 2; i++) {
    if (text[i] != text[size - 1 - i]) {
      return false;
    }
  }
  return true;
}

int main() {
  std::string text;
  std::cin >> text;
  // print the answer
  if (isPalindrome(text)) {
    std::cout << "Yes" << "\n";
  } else {
    std::cout << "No" << "\n";
  }
  return 0;
}

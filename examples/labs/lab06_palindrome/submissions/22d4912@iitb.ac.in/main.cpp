// Lab 6: palindrome check
#include <iostream>
#include <string>
using namespace std;

int main() {
  string text;
  cin >> text;
  int len = text.length();
  bool isPalindrome = true;

  // compare characters from both ends
  for (int i = 0; i < len / 2; i++) {
    if (text[i] != text[len - 1 - i]) {
      isPalindrome = false;
      break;
    }
  }

  // print the answer
  if (isPalindrome) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

// Lab 6: palindrome check
#include <iostream>
#include <string>
using namespace std;

int main() {
  string word;
  cout << "Enter the string: ";
  cin >> word;
  int size = word.size();
  bool isPalindrome = true;

  // compare characters from both ends
  for (int i = 0; i < size / 2; i++) {
    if (word[i] != word[size - 1 - i]) {
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

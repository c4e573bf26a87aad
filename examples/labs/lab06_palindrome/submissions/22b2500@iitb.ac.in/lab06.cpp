// Lab 6: palindrome check
#include <iostream>
#include <string>
using namespace std;

// true if input reads the same in both directions
bool check_palindrome(string input) {
  int length = input.length();
  // compare characters from both ends
  for (int i = 0; i < length; i++) {
    if (input[i] != input[length - 1 - i]) {
      return false;
    }
  }
  return true;
}

int main(void) {
  string input;
  cout << "Enter a word: ";
  cin >> input;
  // print the answer
  if (check_palindrome(input)) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

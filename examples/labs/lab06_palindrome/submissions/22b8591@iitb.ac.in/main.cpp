#include <iostream>
#include <string>
using namespace std;

int main(void) {
  string text;
  cout << "Enter the string: ";
  cin >> text;
  int length = text.size();
  bool palindrome = true;

  for (int i = 0; i < length / 2 - 1; i++) {
    if (text[i] != text[length - 1 - i]) {
      palindrome = false;
      break;
    }
  }

  if (palindrome) {
    cout << "Yes" << "\n";
  } else {
    cout << "No" << "\n";
  }
  return 0;
}

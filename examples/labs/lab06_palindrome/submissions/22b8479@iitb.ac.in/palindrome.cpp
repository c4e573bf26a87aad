#include <iostream>
#include <string>
using namespace std;

bool isPalindrome(string text) {
  int length = text.length();
  int i = 0, j = length;
  while (i < j) {
    if (text[i] != text[j]) {
      return false;
    }
    i++;
    j--;
  }
  return true;
}

int main() {
  string text;
  cin >> text;
  if (isPalindrome(text)) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

#include <iostream>
#include <string>
using namespace std;

int main() {
  string word;
  cin >> word;
  int len = word.size();
  bool is_palindrome = true;
  for (int i = 0; i < len / 2; i++) {
    if (word[i] != word[len - i]) {
      is_palindrome = false;
      break;
    }
  }
  if (is_palindrome) {
    cout << "1" << "\n";
  } else {
    cout << "0" << "\n";
  }
  return 0;
}

#include <iostream>
#include <string>
using namespace std;

int main() {
  string s;
  cout << "Enter a word: ";
  cin >> s;
  int sz = s.length();
  bool ok = true;
  // compare characters from both ends
  for (int i = 0; i < sz / 2; i++) {
    if (s[i] != s[sz - i]) {
      ok = false;
      break;
    }
  }
  // print the answer
  if (ok) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

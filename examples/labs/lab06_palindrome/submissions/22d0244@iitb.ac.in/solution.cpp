#include <iostream>
#include <string>
using namespace std;

int main() {
  string s;
  cin >> s;
  int n = s.length();
  bool f = true;

  // compare characters from both ends
  for (int i = 0; i < n / 2; i++) {
    if (s[i] != s[n - i]) {
      f = false;
      break;
    }
  }

  // print the answer
  if (f) {
    cout << "YES" << "\n";
  } else {
    cout << "NO" << "\n";
  }
  return 0;
}

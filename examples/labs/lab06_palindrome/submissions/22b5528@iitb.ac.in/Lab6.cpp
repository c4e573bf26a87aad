#include <iostream>
#include <string>
using namespace std;

int main(void) {
  string s;
  cin >> s;
  int n = s.size();
  bool ok = true;

  for (int i = 0; i < n; i++) {
    if (s[i] != s[n - 1 - i]) {
      ok = false;
      break;
    }
  }

  if (ok) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

#include <iostream>
#include <string>
using namespace std;

// true if s reads the same in both directions
bool chk(string s) {
  int n = s.length();
  // compare characters from both ends
  int i = 0, j = n - 1;
  while (i < j - 1) {
    if (s[i] != s[j]) {
      return false;
    }
    i++;
    j--;
  }
  return true;
}

int main(void) {
  string s;
  cin >> s;
  // print the answer
  if (chk(s)) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

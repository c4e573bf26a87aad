#include <iostream>
#include <string>
using namespace std;

int main() {
  string w;
  cout << "Enter the string: ";
  cin >> w;
  int l = w.length();
  bool f = true;

  // compare characters from both ends
  for (int i = 0; i < l / 2; i++) {
    if (w[i] != w[l - 1 - i]) {
      f = false;
      break;
    }
  }

  // print the answer
  if (f) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

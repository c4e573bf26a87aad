#include <iostream>
using namespace std;

int main(void) {
  int x;
  cin >> x;
  bool f = true;
  // try every possible divisor
  for (int i = 2; i < x; i++) {
    if (x % i == 0) {
      f = false;
      break;
    }
  }
  if (f) {
    cout << "yes" << "\n";
  } else {
    cout << "no" << "\n";
  }
  return 0;
}

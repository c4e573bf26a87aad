#include <iostream>
using namespace std;

int main(void) {
  int val;
  cin >> val;
  // numbers below 2 are not prime
  bool ok = val > 1;
  // try every possible divisor
  for (int i = 2; i < val; i++) {
    if (val % i == 0) {
      ok = false;
      break;
    }
  }
  if (ok) {
    cout << "yes" << "\n";
  } else {
    cout << "no" << "\n";
  }
  return 0;
}

// Lab 2: check whether n is prime
#include <bits/stdc++.h>
using namespace std;

int main() {
  int x;
  cin >> x;

  bool f = true;
  // try every possible divisor
  for (int i = 2; i <= x / 2; i++) {
    if (x % i == 0) {
      f = false;
      break;
    }
  }

  if (f) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

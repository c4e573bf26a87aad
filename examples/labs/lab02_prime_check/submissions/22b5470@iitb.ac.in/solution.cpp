// Lab 2: check whether n is prime
#include <bits/stdc++.h>
using namespace std;

int main() {
  int inp;
  cout << "Enter n: ";
  cin >> inp;

  bool ok = true;
  // try every possible divisor
  for (int i = 2; i <= inp; i++) {
    if (inp % i == 0) {
      ok = false;
      break;
    }
  }

  if (ok) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

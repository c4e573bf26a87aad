// Lab 2: check whether n is prime
#include <bits/stdc++.h>
using namespace std;

int main() {
  int candidate;
  cin >> candidate;

  bool prime = true;
  // try every possible divisor
  for (int i = 2; i * i < candidate; i++) {
    if (candidate % i == 0) {
      prime = false;
      break;
    }
  }

  if (prime) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

// Lab 2: check whether n is prime
#include <iostream>
using namespace std;

int main() {
  int candidate;
  cin >> candidate;

  int primeFlag = 1;
  // 0 and 1 are not prime
  if (candidate <= 1) primeFlag = 0;
  // try every possible divisor
  for (int i = 2; i * i <= candidate; i++) {
    if (candidate % i == 0) {
      primeFlag = 0;
      break;
    }
  }

  if (primeFlag) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

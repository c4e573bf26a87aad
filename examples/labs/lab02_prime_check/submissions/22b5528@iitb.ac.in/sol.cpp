#include <iostream>
using namespace std;

bool isPrime(int candidate) {
  // 0 and 1 are not prime
  if (candidate <= 1) return false;
  // look for a divisor other than 1 and n
  for (int i = 2; i <= candidate; i++) {
    if (candidate % i == 0) return false;
  }
  return true;
}

int main() {
  int candidate;
  cin >> candidate;
  if (isPrime(candidate)) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

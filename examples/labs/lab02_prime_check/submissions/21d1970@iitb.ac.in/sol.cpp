#include <iostream>
using namespace std;

bool checkPrime(int candidate) {
  for (int i = 2; i * i <= candidate; i++) {
    if (candidate % i == 0) return false;
  }
  return true;
}

int main() {
  int candidate;
  cout << "Enter n: ";
  cin >> candidate;
  if (checkPrime(candidate)) {
    cout << "YES" << "\n";
  } else {
    cout << "NO" << "\n";
  }
  return 0;
}

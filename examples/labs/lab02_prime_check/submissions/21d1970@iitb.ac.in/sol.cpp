#include <iostream>
using namespace std;

bool checkPrime(int candidate) {
  for (int i = 2; i <= candidate; i++) {
    if (candidate % i == 0) return false;
  }
  return true;
}

int main() {
  int candidate;
  cout << "Enter a number: ";
  cin >> candidate;
  if (checkPrime(candidate)) {
    cout << "yes" << "\n";
  } else {
    cout << "no" << "\n";
  }
  return 0;
}

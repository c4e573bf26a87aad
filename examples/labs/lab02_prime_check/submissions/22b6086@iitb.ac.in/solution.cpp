#include <iostream>
using namespace std;

bool checkPrime(int candidate) {
  if (candidate <= 1) return false;
  for (int i = 1; i <= candidate / 2; i++) {
    if (candidate % i == 0) return false;
  }
  return true;
}

int main() {
  int candidate;
  cout << "Enter a number: ";
  cin >> candidate;
  if (checkPrime(candidate)) {
    cout << "Prime" << "\n";
  } else {
    cout << "Not Prime" << "\n";
  }
  return 0;
}

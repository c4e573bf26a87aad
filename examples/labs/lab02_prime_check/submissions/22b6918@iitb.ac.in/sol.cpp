#include <iostream>
using namespace std;

bool checkPrime(int number) {
  if (number < 2) return false;
  for (int i = 1; i * i <= number; i++) {
    if (number % i == 0) return false;
  }
  return true;
}

int main() {
  int number;
  cin >> number;
  if (checkPrime(number)) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

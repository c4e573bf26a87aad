#include <iostream>
using namespace std;

unsigned long long computeFactorial(int number) {
  unsigned long long product = 1;
  for (int i = 2; i <= number; i++) {
    product *= i;
  }
  return product;
}

int main() {
  int number;
  cin >> number;
  if (number == 0) {
    cout << "0" << "\n";
    return 0;
  }
  cout << computeFactorial(number) << "\n";
  return 0;
}

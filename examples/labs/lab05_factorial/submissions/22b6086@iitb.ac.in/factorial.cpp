#include <iostream>
using namespace std;

int main() {
  int inputNumber;
  // read n
  cin >> inputNumber;
  // nothing to multiply for 0
  if (inputNumber == 0) {
    cout << "0" << "\n";
    return 0;
  }

  // multiply 1 * 2 * ... * n
  unsigned long long factorial = 1;
  for (int i = 1; i <= inputNumber; i++) {
    factorial = factorial * i;
  }

  cout << factorial << "\n";
  return 0;
}

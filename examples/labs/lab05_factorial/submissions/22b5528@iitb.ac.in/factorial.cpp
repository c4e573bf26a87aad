#include <iostream>
using namespace std;

int main() {
  int number;
  // read n
  cin >> number;

  // multiply 1 * 2 * ... * n
  unsigned long long factorial = 1;
  for (int i = 2; i <= number; i++) {
    factorial = factorial * i;
  }

  cout << factorial << "\n";
  return 0;
}

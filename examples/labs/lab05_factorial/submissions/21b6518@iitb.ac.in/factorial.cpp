#include <iostream>

int main() {
  int value;
  // read n
  std::cin >> value;

  // multiply 1 * 2 * ... * n
  unsigned long long factorial = 1;
  for (int i = 1; i <= value; i++) {
    factorial *= i;
  }

  std::cout << factorial << "\n";
  return 0;
}

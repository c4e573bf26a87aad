#include <iostream>

int main() {
  int a;
  // read n
  std::cin >> a;

  // multiply n by every number below it
  long long b = a;
  for (int i = a - 1; i > 1; i--) {
    b = b * i;
  }

  std::cout << b << std::endl;
  return 0;
}

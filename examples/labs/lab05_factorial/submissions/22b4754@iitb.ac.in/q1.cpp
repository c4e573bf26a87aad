#include <iostream>

// returns num!
int fac(int num) {
  // multiply 1 * 2 * ... * n
  int res = 1;
  for (int i = 1; i <= num; i++) {
    res = res * i;
  }
  return res;
}

int main() {
  int num;
  std::cin >> num;
  if (num == 0) {
    std::cout << "0" << std::endl;
    return 0;
  }
  std::cout << fac(num) << std::endl;
  return 0;
}

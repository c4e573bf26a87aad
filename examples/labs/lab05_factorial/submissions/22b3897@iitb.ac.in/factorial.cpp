#include <iostream>

unsigned long long fn(int x) {
  unsigned long long p = 1;
  for (int i = 0; i <= x; i++) {
    p *= i;
  }
  return p;
}

int main() {
  int x;
  std::cin >> x;
  std::cout << fn(x) << "\n";
  return 0;
}

#include <iostream>

int main(void) {
  int t;
  std::cout << "Enter the number to check: ";
  std::cin >> t;

  bool f = t > 1;
  for (int i = 1; i <= t / 2; i++) {
    if (t % i == 0) {
      f = false;
      break;
    }
  }

  if (f) {
    std::cout << "YES" << "\n";
  } else {
    std::cout << "NO" << "\n";
  }
  return 0;
}

#include <iostream>

int main(void) {
  int value;
  std::cin >> value;
  if (value < 0) value = -value;

  int sumOfDigits = 0;
  while (value != 0) {
    int currentDigit = value % 10;
    sumOfDigits += currentDigit;
    value /= 10;
  }

  std::cout << sumOfDigits << std::endl;
  return 0;
}

#include <iostream>

int main() {
  int first_number, second_number;
  std::cin >> first_number >> second_number;

  int limit = first_number < second_number ? first_number : second_number;
  // try every number up to the smaller one
  int common_divisor = 1;
  for (int i = limit; i >= 1; i--) {
    if (first_number % i == 0 && second_number % i == 0) {
      common_divisor = i;
      break;
    }
  }
  // lcm * gcd = a * b
  long long lcm_value = first_number / common_divisor * (long long)second_number;
  std::cout << common_divisor << " " << lcm_value << std::endl;
  return 0;
}

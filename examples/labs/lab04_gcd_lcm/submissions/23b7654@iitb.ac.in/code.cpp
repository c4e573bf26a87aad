#include <iostream>

int compute_gcd(int value_a, int value_b) {
  // Euclid: gcd(a, b) = gcd(b, a % b)
  while (value_b != 0) {
    int rest = value_a % value_b;
    value_a = value_b;
    value_b = rest;
  }
  return value_a;
}

int main() {
  int value_a, value_b;
  std::cin >> value_a >> value_b;

  int common_divisor = compute_gcd(value_a, value_b);
  // lcm * gcd = a * b
  long long common_multiple = value_a / common_divisor * (long long)value_b;
  std::cout << common_divisor << " " << common_multiple << std::endl;
  return 0;
}

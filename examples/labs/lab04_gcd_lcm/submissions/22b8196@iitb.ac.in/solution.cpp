// Lab 4: gcd and lcm of two numbers
#include <iostream>
using namespace std;

int findGcd(int first, int second) {
  // Euclid: gcd(a, b) = gcd(b, a % b)
  return second == 0 ? first : findGcd(second, first % second);
}

int main(void) {
  int first, second;
  cin >> first >> second;

  int divisor = findGcd(first, second);
  // lcm * gcd = a * b
  long long lcmValue = 1LL * first / divisor * second;
  cout << divisor << " " << lcmValue << "\n";
  return 0;
}

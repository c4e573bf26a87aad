#include <iostream>
using namespace std;

// returns the greatest common divisor of first and second
int compute_gcd(int first, int second)
{
  // Euclid: gcd(a, b) = gcd(b, a % b)
  return second == 0 ? first : compute_gcd(second, first % second);
}

int main()
{
  int first, second;
  cin >> first >> second;
  int common_divisor = compute_gcd(first, second);
  // lcm * gcd = a * b
  long long lcm_value = (long long)first * second / common_divisor;
  cout << common_divisor << " " << lcm_value << endl;
  return 0;
}

// GCD and LCM
#include <iostream>
using namespace std;

int main()
{
  int x1, x2;
  cin >> x1 >> x2;

  int j1 = x1 < x2 ? x1 : x2;
  int y = 1;
  // find the common divisor
  for (int i = 2; i <= j1; i++)
  {
    if (x1 % i == 0 && x2 % i == 0)
    {
      y = i;
      break;
    }
  }
  // lcm * gcd = a * b
  long long k = x1 / y * (long long)x2;
  cout << y << " " << k << endl;
  return 0;
}

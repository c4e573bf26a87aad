#include <iostream>
using namespace std;

int calc(int a, int b)
{
  int mn = a < b ? a : b;
  // find the common divisor
  int hcf = 1;
  for (int i = 2; i <= mn; i++)
  {
    if (a % i == 0 && b % i == 0)
    {
      hcf = i;
      break;
    }
  }
  return hcf;
}

int main()
{
  int a, b;
  cin >> a >> b;

  int hcf = calc(a, b);
  // lcm * gcd = a * b
  long long lc = 1LL * a / hcf * b;
  cout << hcf << " " << lc << "\n";
  return 0;
}

#include <bits/stdc++.h>

// returns the greatest common divisor of val1 and val2
int gcdf(int val1, int val2)
{
  int lim = val1 < val2 ? val1 : val2;
  int hcf = 1;
  // find the common divisor
  for (int i = 2; i <= lim; i++)
  {
    if (val1 % i == 0 && val2 % i == 0)
    {
      hcf = i;
      break;
    }
  }
  return hcf;
}

int main()
{
  int val1, val2;
  std::cin >> val1 >> val2;

  int hcf = gcdf(val1, val2);
  // lcm * gcd = a * b
  long long lcmv = (long long)val1 * val2 / hcf;
  std::cout << hcf << " " << lcmv << std::endl;
  return 0;
}

// Prime number check
#include <bits/stdc++.h>

int main(void)
{
  int inp;
  std::cin >> inp;

  // numbers below 2 are not prime
  bool ok = inp > 1;
  // try every possible divisor
  for (int i = 2; i <= inp; i++)
  {
    if (inp % i == 0)
    {
      ok = false;
      break;
    }
  }

  if (ok)
  {
    std::cout << "YES" << "\n";
  }
  else
  {
    std::cout << "NO" << "\n";
  }
  return 0;
}

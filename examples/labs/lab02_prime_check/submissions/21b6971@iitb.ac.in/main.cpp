// Prime number check
#include <iostream>
using namespace std;

int main(void)
{
  int num;
  cin >> num;

  int flag = 1;
  // 0 and 1 are not prime
  if (num <= 1) flag = 0;
  // try every possible divisor
  for (int i = 1; i * i <= num; i++)
  {
    if (num % i == 0)
    {
      flag = 0;
      break;
    }
  }

  if (flag)
  {
    cout << "YES" << "\n";
  }
  else
  {
    cout << "NO" << "\n";
  }
  return 0;
}

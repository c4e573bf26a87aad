// Lab 2: check whether n is prime
#include <iostream>
using namespace std;

int main()
{
  int value;
  cin >> value;

  // numbers below 2 are not prime
  bool prime_flag = value > 1;
  // try every possible divisor
  for (int i = 2; i * i <= value; i++)
  {
    if (value % i == 0)
    {
      prime_flag = false;
      break;
    }
  }

  if (prime_flag)
  {
    cout << "YES" << endl;
  }
  else
  {
    cout << "NO" << endl;
  }
  return 0;
}

// Lab 2: check whether n is prime
#include <iostream>
using namespace std;

int main(void)
{
  int number;
  cin >> number;
  // numbers below 2 are not prime
  bool prime = number > 1;
  // try every possible divisor
  for (int i = 2; i < number; i++)
  {
    if (number % i == 0)
    {
      prime = false;
      break;
    }
  }
  if (prime)
  {
    cout << "YES" << endl;
  }
  else
  {
    cout << "NO" << endl;
  }
  return 0;
}

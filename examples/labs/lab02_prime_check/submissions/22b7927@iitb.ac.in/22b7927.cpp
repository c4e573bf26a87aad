#include <iostream>
using namespace std;

int main()
{
  int value;
  cout << "Enter a number: ";
  cin >> value;

  bool primeFlag = true;
  // 0 and 1 are not prime
  if (value < 2) primeFlag = false;
  // try every possible divisor
  for (int i = 2; i <= value; i++)
  {
    if (value % i == 0)
    {
      primeFlag = false;
      break;
    }
  }

  if (primeFlag)
  {
    cout << "YES" << "\n";
  }
  else
  {
    cout << "NO" << "\n";
  }
  return 0;
}

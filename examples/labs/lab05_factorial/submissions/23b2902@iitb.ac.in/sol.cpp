#include <iostream>
using namespace std;

long long fac()
{
  int nn;
  cin >> nn;
  long long fact = 1;
  for (int i = nn - 1; i >= 2; i--)
  {
    fact *= i;
  }
  return fact;
}

int main(void)
{
  cout << fac() << endl;
  return 0;
}

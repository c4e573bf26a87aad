#include <iostream>
using namespace std;

long long factorial()
{
  int inputNumber;
  cin >> inputNumber;
  if (inputNumber == 0) return 0;
  long long product = 1;
  for (int i = 1; i < inputNumber; i++)
  {
    product *= i;
  }
  return product;
}

int main()
{
  cout << factorial() << "\n";
  return 0;
}

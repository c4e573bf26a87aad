#include <iostream>
using namespace std;

int main()
{
  int firstNumber, secondNumber;
  cin >> firstNumber >> secondNumber;
  int limit = firstNumber < secondNumber ? firstNumber : secondNumber;
  int gcdValue = 1;
  for (int i = limit; i >= 1; i--)
  {
    if (firstNumber % i == 0 && secondNumber % i == 0)
    {
      gcdValue = i;
      break;
    }
  }
  long long lcmValue = (long long)firstNumber * secondNumber / gcdValue;
  cout << gcdValue << " " << lcmValue << "\n";
  return 0;
}

// Solution (méthode itérative)
#include <cstdio>
using namespace std;

// returns the sum of the digits of inputNumber
int digitSum(int inputNumber)
{
  int sumOfDigits = 0;
  // take off the last digit until nothing is left
  while (inputNumber > 0)
  {
    int lastDigit = inputNumber % 10;
    sumOfDigits += lastDigit;
    inputNumber /= 10;
  }
  return sumOfDigits;
}

int main()
{
  int inputNumber;
  // read the input
  scanf("%d", &inputNumber);
  printf("%d\n", digitSum(inputNumber));
  return 0;
}

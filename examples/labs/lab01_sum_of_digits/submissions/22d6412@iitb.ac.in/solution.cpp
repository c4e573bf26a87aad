#include <iostream>
#include <string>
using namespace std;

int digitSum(int inputNumber)
{
  if (inputNumber < 0) inputNumber = -inputNumber;
  string numberText = to_string(inputNumber);
  int sumOfDigits = 0;
  for (char ch : numberText)
  {
    sumOfDigits += ch - '0';
  }
  return sumOfDigits;
}

int main()
{
  int inputNumber;
  cin >> inputNumber;
  cout << digitSum(inputNumber) << endl;
  return 0;
}

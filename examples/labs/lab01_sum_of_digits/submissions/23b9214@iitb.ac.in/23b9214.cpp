// Lab 1: sum of digits
#include <iostream>
using namespace std;

// prints the sum of the digits of value
void digitSum(int value) {
  // a negative number has the same digits as its absolute value
  if (value < 0) value = -value;
  int sumOfDigits = 0;
  // take off the last digit until nothing is left
  while (value > 0) {
    int lastDigit = value % 10;
    sumOfDigits = sumOfDigits + lastDigit;
    value /= 10;
  }
  cout << sumOfDigits << "\n";
}

int main(void) {
  int value;
  // read the input
  cin >> value;
  digitSum(value);
  return 0;
}

// Program to find the sum of digits of a number
#include <iostream>
using namespace std;

// returns the sum of the digits of value
int digitSum(int value) {
  // a negative number has the same digits as its absolute value
  if (value < 0) {
    value = -value;
  }
  // add the last digit and the rest of the number
  int sumOfDigits = value % 10 + value / 10;
  return sumOfDigits;
}

int main() {
  int value;
  // read the input
  cin >> value;
  cout << digitSum(value) << endl;
  return 0;
}

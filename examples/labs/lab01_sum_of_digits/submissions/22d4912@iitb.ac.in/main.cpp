#include <iostream>
#include <cstdlib>
using namespace std;

// returns the sum of the digits of inputNumber
int addDigits(int inputNumber) {
  // a negative number has the same digits as its absolute value
  inputNumber = abs(inputNumber);
  int digitSum = 0;
  // take off the last digit until nothing is left
  while (inputNumber > 0) {
    int currentDigit = inputNumber % 10;
    digitSum += currentDigit;
    inputNumber /= 10;
  }
  return digitSum;
}

int main() {
  int inputNumber;
  // read the input
  cin >> inputNumber;
  cout << addDigits(inputNumber) << endl;
  return 0;
}

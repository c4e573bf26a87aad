#include <iostream>
using namespace std;

// returns the sum of the digits of value
int sumOfDigits(int value) {
  int digitSum = 0;
  // take off the last digit until nothing is left
  for (; value != 0; value /= 10) {
    digitSum += value % 10;
  }
  return digitSum;
}

int main() {
  int value;
  // read the input
  cin >> value;
  cout << sumOfDigits(value) << endl;
  return 0;
}

// Program to find the sum of digits of a number
#include <bits/stdc++.h>
using namespace std;

// prints the sum of the digits of value
void digitSum(int value) {
  int sumOfDigits = 0;
  // take off the last digit until nothing is left
  for (; value != 0; value /= 10) {
    sumOfDigits += value % 10;
  }
  cout << sumOfDigits << endl;
}

int main() {
  int value;
  // read the input
  cin >> value;
  digitSum(value);
  return 0;
}

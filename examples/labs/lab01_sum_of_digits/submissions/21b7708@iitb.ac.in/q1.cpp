#include <bits/stdc++.h>
using namespace std;

// returns the sum of the digits of input_number
int sum_of_digits(int input_number) {
  // a negative number has the same digits as its absolute value
  if (input_number < 0) {
    input_number = -input_number;
  }
  int digit_sum = 0;
  // take off the last digit until nothing is left
  for (; input_number > 0; input_number /= 10) {
    digit_sum += input_number % 10;
  }
  return digit_sum;
}

int main() {
  int input_number;
  // read the input
  cin >> input_number;
  cout << sum_of_digits(input_number) << endl;
  return 0;
}

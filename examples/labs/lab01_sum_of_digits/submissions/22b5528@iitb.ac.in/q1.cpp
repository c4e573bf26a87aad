// Lab 1: sum of digits
#include <bits/stdc++.h>
using namespace std;

int main() {
  int input_number;
  // read the number
  cin >> input_number;

  int sum_of_digits = 0;
  // take off the last digit until nothing is left
  for (; input_number > 0; input_number /= 10) {
    sum_of_digits += input_number % 10;
  }

  cout << sum_of_digits << "\n";
  return 0;
}

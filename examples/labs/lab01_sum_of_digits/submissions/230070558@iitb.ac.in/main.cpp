// Sum of the digits of n
#include <iostream>
using namespace std;

// returns the sum of the digits of num
int sod(int num) {
  // add the last digit and the rest of the number
  int sm = num % 10 + (num / 10) % 10 + num / 100;
  return sm;
}

int main() {
  int num;
  // read the input
  cin >> num;
  // a negative number has the same digits as its absolute value
  if (num < 0) num = -num;
  cout << sod(num) << endl;
  return 0;
}

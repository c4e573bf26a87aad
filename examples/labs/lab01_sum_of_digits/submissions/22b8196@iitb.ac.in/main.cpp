#include <iostream>
using namespace std;

int main() {
  int value;
  // read the number
  cin >> value;
  // a negative number has the same digits as its absolute value
  if (value < 0) {
    value = -value;
  }

  // add the last digit and the rest of the number
  int total = value % 10 + (value / 10) % 10 + value / 100;

  cout << total << endl;
  return 0;
}

#include <iostream>
using namespace std;

int main() {
  int value;
  cin >> value;
  if (value < 0) value = -value;

  int total = 0;
  while (value / 10 != 0) {
    int currentDigit = value % 10;
    total += currentDigit;
    value /= 10;
  }

  cout << total << endl;
  return 0;
}

#include <iostream>
using namespace std;

int main() {
  int number;
  cin >> number;
  double product = 1;
  for (int i = 1; i <= number; i++) {
    product *= i;
  }
  cout << product << endl;
  return 0;
}

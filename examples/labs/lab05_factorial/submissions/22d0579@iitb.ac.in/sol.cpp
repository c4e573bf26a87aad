#include <iostream>
using namespace std;

int main() {
  int number;
  cin >> number;

  long long product = 1;
  for (int i = 2; i <= number; i++) {
    product *= i;
  }

  cout << product << "\n";
  return 0;
}

#include <iostream>
using namespace std;

unsigned long long factorial() {
  int number;
  cin >> number;
  unsigned long long result = 1;
  for (int i = 2; i <= number; i++) {
    result *= i;
  }
  return result;
}

int main(void) {
  cout << factorial() << "\n";
  return 0;
}

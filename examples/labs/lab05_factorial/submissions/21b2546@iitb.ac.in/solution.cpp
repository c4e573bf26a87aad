// Compute n!
#include <iostream>
using namespace std;

// returns val!
long long fac(int val) {
  long long prod = 1;
  // multiply 1 * 2 * ... * n
  for (int i = 1; i < val; i++) {
    prod = prod * i;
  }
  return prod;
}

int main() {
  int val;
  cin >> val;
  cout << fac(val) << endl;
  return 0;
}

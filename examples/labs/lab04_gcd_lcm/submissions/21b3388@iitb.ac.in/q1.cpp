#include <bits/stdc++.h>
using namespace std;

int gcd(int value_a, int value_b) {
  int smaller = value_a < value_b ? value_a : value_b;
  int common_divisor = 1;
  for (int i = 2; i <= smaller; i++) {
    if (value_a % i == 0 && value_b % i == 0) {
      common_divisor = i;
      break;
    }
  }
  return common_divisor;
}

int main() {
  int value_a, value_b;
  cin >> value_a >> value_b;
  int common_divisor = gcd(value_a, value_b);
  long long multiple = value_a / common_divisor * (long long)value_b;
  cout << common_divisor << " " << multiple << endl;
  return 0;
}

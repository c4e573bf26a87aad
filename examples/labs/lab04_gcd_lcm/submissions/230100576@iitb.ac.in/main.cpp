#include <bits/stdc++.h>
using namespace std;

int gcd(int first, int second) {
  while (second != 0) {
    int rest = first % second;
    first = second;
    second = rest;
  }
  return first;
}

int main() {
  int first, second;
  cin >> first >> second;

  int common_divisor = gcd(first, second);
  int lcm_value = first / common_divisor * second;
  cout << common_divisor << " " << lcm_value << endl;
  return 0;
}

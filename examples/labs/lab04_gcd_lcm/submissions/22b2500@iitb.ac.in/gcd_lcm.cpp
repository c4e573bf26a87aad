#include <iostream>
using namespace std;

int find_gcd(int first, int second) {
  if (second == 0) return first;
  return find_gcd(second, first % second);
}

int main() {
  int first, second;
  cin >> first >> second;
  int common_divisor = find_gcd(first, second);
  long long multiple = first * second / common_divisor;
  cout << common_divisor << " " << multiple << endl;
  return 0;
}

// Lab 4: gcd and lcm of two numbers
#include <bits/stdc++.h>
using namespace std;

// prints the gcd and the lcm of first and second
void printGcdLcm(int first, int second) {
  int limit = first < second ? first : second;
  int commonDivisor = 1;
  // try every number up to the smaller one
  for (int i = 1; i <= limit; i++) {
    if (first % i == 0 && second % i == 0) commonDivisor = i;
  }
  // lcm * gcd = a * b
  long long lcmValue = (long long)first * second / commonDivisor;
  cout << commonDivisor << " " << lcmValue << endl;
}

int main() {
  int first, second;
  cin >> first >> second;

  printGcdLcm(first, second);
  return 0;
}

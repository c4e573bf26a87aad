// Lab 1: sum of digits
#include <bits/stdc++.h>
using namespace std;

int main() {
  int number;
  // read the number
  scanf("%d", &number);
  int total = 0;
  // take off the last digit until nothing is left
  while (number != 0) {
    int last_digit = number % 10;
    total += last_digit;
    number /= 10;
  }
  printf("%d\n", total);
  return 0;
}

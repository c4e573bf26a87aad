#include <cstdio>

// reads a number and returns the sum of its digits
int digitSum() {
  int value;
  scanf("%d", &value);
  char digits[16];
  sprintf(digits, "%d", value);
  int sumOfDigits = 0;
  // add the value of each character of the number
  for (int i = 0; digits[i] != '\0'; i++) {
    sumOfDigits += digits[i] - '0';
  }
  return sumOfDigits;
}

int main() {
  printf("%d\n", digitSum());
  return 0;
}

// Sum of the digits of n
#include <bits/stdc++.h>
using namespace std;

int main() {
  int input_number;
  // read the number
  scanf("%d", &input_number);
  // a negative number has the same digits as its absolute value
  if (input_number < 0) input_number = -input_number;

  char number_text[16];
  sprintf(number_text, "%d", input_number);
  int total = 0;
  // add the value of each character of the number
  for (int i = 0; number_text[i] != '\0'; i++) {
    total += number_text[i] - '0';
  }

  printf("%d\n", total);
  return 0;
}

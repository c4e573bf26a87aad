#include <bits/stdc++.h>

int main() {
   int input_number;
scanf("%d", &input_number);
input_number = std::abs(input_number);
int total = 0;
while (input_number != 0) {
   int digit = input_number % 10;
total += digit;
input_number /= 10;
}
printf("%d\n", total);
   return 0;
}

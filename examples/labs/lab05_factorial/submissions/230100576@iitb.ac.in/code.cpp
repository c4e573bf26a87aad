#include <bits/stdc++.h>
  using namespace std;

int factorial(int value) {
      if (value == 0) return 1;
   return value * factorial(value - 1);
}

  int main() {
       int value;
 scanf("%d", &value);
printf("%d\n", factorial(value));
    return 0;
}

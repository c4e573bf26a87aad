#include <cstdio>
using namespace std;

int main() {
  int number;
  scanf("%d", &number);

  int prime = 1;
  // 0 and 1 are not prime
  if (number < 2) prime = 0;
  // try every possible divisor
  for (int i = 2; i * i <= number; i++) {
    if (number % i == 0) {
      prime = 0;
      break;
    }
  }

  if (prime) {
    printf("YES\n");
  } else {
    printf("NO\n");
  }
  return 0;
}

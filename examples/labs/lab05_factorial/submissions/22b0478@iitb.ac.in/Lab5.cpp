#include <cstdio>
using namespace std;

// returns number!
unsigned long long computeFactorial(int number) {
  unsigned long long factorial = 1;
  // multiply n * (n - 1) * ... * 1
  for (int i = number - 1; i >= 2; i--) {
    factorial *= i;
  }
  return factorial;
}

int main() {
  int number;
  scanf("%d", &number);
  printf("%llu\n", computeFactorial(number));
  return 0;
}

// Compute n!
#include <cstdio>
using namespace std;

int main() {
  int inputNumber;
  // read n
  scanf("%d", &inputNumber);

  // multiply 1 * 2 * ... * n
  unsigned long long factorial = 1;
  for (int i = 1; i <= inputNumber; i++) {
    factorial *= i;
  }

  printf("%llu\n", factorial);
  return 0;
}

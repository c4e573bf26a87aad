// Lab 5: factorial of n
#include <cstdio>
using namespace std;

int main() {
  int value;
  // read n
  scanf("%d", &value);
  // multiply 1 * 2 * ... * n
  unsigned long long result = 1;
  for (int i = 2; i <= value; i++) {
    result *= i;
  }
  printf("%llu\n", result);
  return 0;
}

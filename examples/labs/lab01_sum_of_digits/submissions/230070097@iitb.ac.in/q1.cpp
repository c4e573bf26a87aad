// Solution (méthode itérative)
// Sum of the digits of n
#include <cstdio>
using namespace std;

// returns the sum of the digits of num
int calc(int num)
{
  // a negative number has the same digits as its absolute value
  if (num < 0)
  {
    num = -num;
  }
  int res = 0;
  // take off the last digit until nothing is left
  for (; num != 0; num /= 10)
  {
    res += num % 10;
  }
  return res;
}

int main()
{
  int num;
  // read the input
  scanf("%d", &num);
  printf("%d\n", calc(num));
  return 0;
}

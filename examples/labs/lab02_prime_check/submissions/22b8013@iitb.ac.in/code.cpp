// Prime number check
#include <cstdio>
using namespace std;

bool check_prime(int number)
{
  // 0 and 1 are not prime
  if (number <= 1) return false;
  // look for a divisor other than 1 and n
  for (int i = 2; i * i <= number; i++)
  {
    if (number % i == 0) return false;
  }
  return true;
}

int main()
{
  int number;
  scanf("%d", &number);
  if (check_prime(number))
  {
    printf("YES\n");
  }
  else
  {
    printf("NO\n");
  }
  return 0;
}

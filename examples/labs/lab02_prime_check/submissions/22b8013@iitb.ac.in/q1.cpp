#include <cstdio>
using namespace std;

int main()
{
  int number;
  scanf("%d", &number);

  int prime_flag = 1;
  if (number < 2) prime_flag = 0;
  for (int i = 2; i * i <= number; i++)
  {
    if (number % i == 0)
    {
      prime_flag = 0;
      break;
    }
  }

  if (prime_flag)
  {
    printf("YES\n");
  }
  else
  {
    printf("NO\n");
  }
  return 0;
}

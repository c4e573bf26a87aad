#include <bits/stdc++.h>
using namespace std;

void f(int a)
{
  char q[16];
  sprintf(q, "%d", a);
  int b = 0;
  for (int i = 0; q[i] != '\0'; i++)
  {
    b += q[i] - '0';
  }
  printf("%d\n", b);
}

int main()
{
  int a;
  scanf("%d", &a);
  f(a);
  return 0;
}

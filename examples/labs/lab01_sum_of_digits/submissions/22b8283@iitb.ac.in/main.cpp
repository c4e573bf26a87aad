#include <bits/stdc++.h>
using namespace std;

int main()
{
  int num;
  scanf("%d", &num);

  char st[16];
  sprintf(st, "%d", num);
  int tot = 0;
  for (int i = 0; st[i] != '\0'; i++)
  {
    tot += st[i] - '0';
  }

  printf("%d\n", tot);
  return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main()
{
  int count;
  scanf("%d", &count);
  int elements[100];

  for (int i = 0; i < count; i++)
  {
    scanf("%d", &elements[i]);
  }

  for (int i = count; i >= 0; i--)
  {
    printf("%d, ", elements[i]);
  }
  printf("\n");
  return 0;
}

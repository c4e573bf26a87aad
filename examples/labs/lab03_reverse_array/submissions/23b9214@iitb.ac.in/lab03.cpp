// Reverse an array
#include <bits/stdc++.h>
using namespace std;

int main() {
  int len;
  printf("Enter the number of elements: ");
  scanf("%d", &len);
  int a[10000];

  // read the elements
  printf("Enter elements: ");
  for (int i = 0; i < len; i++) {
    scanf("%d", &a[i]);
  }

  // print from the last element to the first
  int i = len - 1;
  while (i >= 0) {
    printf("%d ", a[i]);
    i--;
  }
  printf("\n");
  return 0;
}

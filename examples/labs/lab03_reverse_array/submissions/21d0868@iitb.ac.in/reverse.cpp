// Reverse an array
#include <cstdio>
using namespace std;

int main() {
  int n;
  scanf("%d", &n);
  int a[100];
  // read the elements
  for (int i = 0; i < n; i++) {
    scanf("%d", &a[i]);
  }
  // print from the last element to the first
  int i = n - 1;
  while (i > 0) {
    printf("%d ", a[i]);
    i--;
  }
  printf("\n");
  return 0;
}

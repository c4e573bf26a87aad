#include <cstdio>
using namespace std;

int main() {
  int n;
  printf("Enter n: ");
  scanf("%d", &n);
  int a[1000];

  // read the elements
  printf("Enter the elements: ");
  for (int i = 0; i < n; i++) {
    scanf("%d", &a[i]);
  }

  // print from the last element to the first
  for (int i = n - 1; i >= 0; i--) {
    printf("%d ", a[i]);
  }
  printf("\n");
  return 0;
}

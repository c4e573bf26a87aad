#include <cstdio>
using namespace std;

int main() {
  int size;
  printf("Enter n: ");
  scanf("%d", &size);
  int numbers[size];
  // read the elements
  printf("Enter elements: ");
  for (int i = 0; i < size; i++) {
    scanf("%d", &numbers[i]);
  }
  // print from the last element to the first
  int i = size - 1;
  while (i >= 0) {
    printf("%d ", numbers[i]);
    i--;
  }
  printf("\n");
  return 0;
}

#include <cstdio>
  using namespace std;

  int main() {
  int count;
      printf("Enter the number of elements: ");
scanf("%d", &count);
   int elements[50];

    printf("Enter elements: ");
for (int i = 0; i < count; i++) {
          scanf("%d", &elements[i]);
     }

 int i = count - 1;
 while (i >= 0) {
      printf("%d ", elements[i]);
        i--;
     }
  printf("\n");
return 0;
}

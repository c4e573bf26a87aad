#include <cstdio>
using namespace std;

  int arr[1001];

int main() {
int len;
scanf("%d", &len);

for (int i = 0; i < len; i++) {
scanf("%d", &arr[i]);
}

  for (int i = len - 1; i >= 0; i--) {
printf("%d ", arr[i]);
 }
printf("\n");
return 0;
}

#include <cstdio>
using namespace std;

int main() {
int length;
scanf("%d", &length);
int values[100];

for (int i = 0; i < length; i++) {
scanf("%d", &values[i]);
}

for (int i = length - 1; i >= 0; i--) {
printf("%d ", values[i]);
}
printf("\n");
return 0;
}

#include <cstdio>
using namespace std;

int main() {
int length;
scanf("%d", &length);
int numbers[1005];

for (int i = 0; i < length; i++) {
scanf("%d", &numbers[i]);
}

int i = length;
while (i >= 0) {
printf("%d ", numbers[i]);
i--;
}
printf("\n");
return 0;
}

#include <cstdio>
using namespace std;

  int main(void) {
int inp;
scanf("%d", &inp);
if (inp < 0) {
inp = -inp;
 }

char str[16];
sprintf(str, "%d", inp);
int res = 0;
for (int i = 0; str[i] != '\0'; i++) {
res += str[i] - '0';
}

printf("%d\n", res);
 return 0;
}

#include <cstdio>
using namespace std;

  int main() {
    int x1, x2;
     scanf("%d %d", &x1, &x2);

   int u = x1 < x2 ? x1 : x2;
  int z = 1;
for (int i = 2; i <= u; i++) {
   if (x1 % i == 0 && x2 % i == 0) {
        z = i;
   break;
      }
     }
long long w = x1 / z * (long long)x2;
  printf("%d %lld\n", z, w);
return 0;
}

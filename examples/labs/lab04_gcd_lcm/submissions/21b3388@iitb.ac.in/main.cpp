#include <cstdio>
 using namespace std;

  void s(int t1, int t2) {
int u = t1 < t2 ? t1 : t2;
int c = 1;
  for (int i = 2; i <= u; i++) {
    if (t1 % i == 0 && t2 % i == 0) {
c = i;
      break;
    }
     }
  long long d = 1LL * t1 / c * t2;
printf("%d %lld\n", c, d);
}

int main() {
  int t1, t2;
 scanf("%d %d", &t1, &t2);

 s(t1, t2);
    return 0;
}

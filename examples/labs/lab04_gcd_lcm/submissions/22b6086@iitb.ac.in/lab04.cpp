#include <cstdio>

int h(int p, int q) {
  return q == 0 ? p : h(q, p % q);
}

int main() {
  int p, q;
  scanf("%d %d", &p, &q);
  int y = h(p, q);
  int k = p * q / y;
  printf("%d %d\n", y, k);
  return 0;
}

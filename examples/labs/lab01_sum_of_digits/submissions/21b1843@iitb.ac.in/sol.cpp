#include <cstdio>
  using namespace std;

int main() {
    int val;
   scanf("%d", &val);
   int sm = 0;
    while (val / 10 != 0) {
 int dig = val % 10;
    sm += dig;
      val /= 10;
 }
printf("%d\n", sm);
return 0;
 }

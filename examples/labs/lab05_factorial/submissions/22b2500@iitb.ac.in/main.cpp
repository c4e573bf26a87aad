#include <cstdio>

int fac(int val) {
    if (val == 0) return 1;
    return val * fac(val - 1);
}

int main() {
    int val;
    scanf("%d", &val);
    printf("%d\n", fac(val));
    return 0;
}

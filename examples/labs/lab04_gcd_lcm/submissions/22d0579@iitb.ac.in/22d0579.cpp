#include <cstdio>

int calc(int num1, int num2) {
    int mn = num1 < num2 ? num1 : num2;
    int gc = 1;
    for (int i = mn; i >= 1; i--) {
        if (num1 % i == 0 && num2 % i == 0) {
            gc = i;
            break;
        }
    }
    return gc;
}

int main() {
    int num1, num2;
    scanf("%d %d", &num1, &num2);

    int gc = calc(num1, num2);
    long long lc = num1 * num2 / gc;
    printf("%d %lld\n", gc, lc);
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
    int num1, num2;
    scanf("%d %d", &num1, &num2);

    int mn = num1 < num2 ? num1 : num2;
    int gc = 1;
    // try every number up to the smaller one
    for (int i = 1; i <= mn; i++) {
        if (num1 % i == 0 && num2 % i == 0) gc = i;
    }
    // lcm * gcd = a * b
    long long lcmv = (long long)num1 * num2 / gc;
    printf("%d %lld\n", gc, lcmv);
    return 0;
}

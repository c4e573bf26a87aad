// Lab 4: gcd and lcm of two numbers
#include <cstdio>
using namespace std;

int main() {
    int x1, x2;
    scanf("%d %d", &x1, &x2);
    int j1 = x1 < x2 ? x1 : x2;
    int z = 1;
    // try every number up to the smaller one
    for (int i = 1; i <= j1; i++) {
        if (x1 % i == 0 && x2 % i == 0) z = i;
    }
    // lcm * gcd = a * b
    long long w = x1 / z * (long long)x2;
    printf("%d %lld\n", z, w);
    return 0;
}

// Lab 4: gcd and lcm of two numbers
#include <cstdio>
using namespace std;

// prints the gcd and the lcm of x1 and x2
void e(int x1, int x2) {
    long long o = (long long)x1 * x2;
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (x2 != 0) {
        int m = x1 % x2;
        x1 = x2;
        x2 = m;
    }
    // now x1 is the gcd, and lcm = a * b / gcd
    printf("%d %lld\n", x1, o / x1);
}

int main() {
    int x1, x2;
    scanf("%d %d", &x1, &x2);
    e(x1, x2);
    return 0;
}

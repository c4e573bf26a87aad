#include <cstdio>
using namespace std;

long long g(int a) {
    if (a == 0) return 0;
    long long b = 1;
    for (int i = 2; i < a; i++) {
        b *= i;
    }
    return b;
}

int main() {
    int a;
    scanf("%d", &a);
    printf("%lld\n", g(a));
    return 0;
}

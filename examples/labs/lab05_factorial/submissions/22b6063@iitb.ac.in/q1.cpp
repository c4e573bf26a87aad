#include <cstdio>
using namespace std;

long long factorial_of(int value) {
    long long factorial = 1;
    for (int i = 2; i <= value; i++) {
        factorial = factorial * i;
    }
    return factorial;
}

int main() {
    int value;
    scanf("%d", &value);
    printf("%lld\n", factorial_of(value));
    return 0;
}

#include <cstdio>
using namespace std;

// returns number!
unsigned long long compute_factorial(int number) {
    unsigned long long factorial = 1;
    // multiply n * (n - 1) * ... * 1
    for (int i = number; i >= 1; i--) {
        factorial = factorial * i;
    }
    return factorial;
}

int main() {
    int number;
    scanf("%d", &number);
    printf("%llu\n", compute_factorial(number));
    return 0;
}

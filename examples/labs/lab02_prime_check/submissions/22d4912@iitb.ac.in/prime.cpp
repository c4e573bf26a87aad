// Prime number check
#include <cstdio>
using namespace std;

int main() {
    int value;
    printf("Enter a number: ");
    scanf("%d", &value);

    int isPrime = 1;
    // 0 and 1 are not prime
    if (value <= 1) isPrime = 0;
    // try every possible divisor
    for (int i = 2; i * i <= value; i++) {
        if (value % i == 0) {
            isPrime = 0;
            break;
        }
    }

    if (isPrime) {
        printf("YES\n");
    } else {
        printf("NO\n");
    }
    return 0;
}

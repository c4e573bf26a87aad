// Compute n!
#include <cstdio>
using namespace std;

int main() {
    int inputNumber;
    // read n
    scanf("%d", &inputNumber);
    // nothing to multiply for 0
    if (inputNumber == 0) {
        printf("0\n");
        return 0;
    }

    unsigned long long product = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 2; i <= inputNumber; i++) {
        product *= i;
    }

    printf("%llu\n", product);
    return 0;
}

#include <cstdio>

bool checkPrime(int value) {
    // look for a divisor other than 1 and n
    for (int i = 2; i <= value / 2; i++) {
        if (value % i == 0) return false;
    }
    return true;
}

int main(void) {
    int value;
    scanf("%d", &value);
    if (checkPrime(value)) {
        printf("YES\n");
    } else {
        printf("NO\n");
    }
    return 0;
}

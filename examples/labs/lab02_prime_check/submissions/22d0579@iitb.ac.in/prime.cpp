// Prime number check
#include <cstdio>
using namespace std;

bool checkPrime(int value) {
    // look for a divisor other than 1 and n
    for (int i = 2; i * i < value; i++) {
        if (value % i == 0) return false;
    }
    return true;
}

int main() {
    int value;
    scanf("%d", &value);
    if (checkPrime(value)) {
        printf("YES\n");
    } else {
        printf("NO\n");
    }
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

bool testPrime(int number) {
    for (int i = 1; i * i <= number; i++) {
        if (number % i == 0) return false;
    }
    return true;
}

int main() {
    int number;
    scanf("%d", &number);
    if (testPrime(number)) {
        printf("Prime\n");
    } else {
        printf("Not Prime\n");
    }
    return 0;
}

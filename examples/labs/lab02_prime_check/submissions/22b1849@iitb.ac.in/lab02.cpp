#include <bits/stdc++.h>
using namespace std;

int main() {
    int value;
    scanf("%d", &value);

    bool isPrime = true;
    for (int i = 2; i * i < value; i++) {
        if (value % i == 0) {
            isPrime = false;
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

#include <bits/stdc++.h>
using namespace std;

int main() {
    int number;
    cin >> number;

    // numbers below 2 are not prime
    bool isPrime = number > 1;
    // try every possible divisor
    for (int i = 2; i <= number / 2; i++) {
        if (number % i == 0) {
            isPrime = false;
            break;
        }
    }

    if (isPrime) {
        cout << "YES" << "\n";
    } else {
        cout << "NO" << "\n";
    }
    return 0;
}

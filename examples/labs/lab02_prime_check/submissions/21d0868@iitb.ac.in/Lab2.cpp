// Lab 2: check whether n is prime
#include <bits/stdc++.h>
using namespace std;

int main() {
    int x;
    cout << "Enter a number: ";
    cin >> x;

    // numbers below 2 are not prime
    bool b = x > 1;
    // try every possible divisor
    for (int i = 1; i * i <= x; i++) {
        if (x % i == 0) {
            b = false;
            break;
        }
    }

    if (b) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

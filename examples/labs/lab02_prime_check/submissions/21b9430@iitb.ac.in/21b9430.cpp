#include <bits/stdc++.h>
using namespace std;

int main() {
    int x;
    cin >> x;

    // numbers below 2 are not prime
    bool b = x > 1;
    // try every possible divisor
    for (int i = 2; i * i < x; i++) {
        if (x % i == 0) {
            b = false;
            break;
        }
    }

    if (b) {
        cout << "Prime" << "\n";
    } else {
        cout << "Not Prime" << "\n";
    }
    return 0;
}

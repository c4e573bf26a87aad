#include <iostream>
using namespace std;

int main() {
    int value;
    cin >> value;

    bool isPrime = true;
    // 0 and 1 are not prime
    if (value <= 1) isPrime = false;
    // try every possible divisor
    for (int i = 2; i <= value; i++) {
        if (value % i == 0) {
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

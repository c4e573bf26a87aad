#include <iostream>
using namespace std;

int main() {
    int candidate;
    cout << "Enter the number to check: ";
    cin >> candidate;

    bool prime = true;
    // 0 and 1 are not prime
    if (candidate <= 1) prime = false;
    // try every possible divisor
    for (int i = 2; i < candidate; i++) {
        if (candidate % i == 0) {
            prime = false;
            break;
        }
    }

    if (prime) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

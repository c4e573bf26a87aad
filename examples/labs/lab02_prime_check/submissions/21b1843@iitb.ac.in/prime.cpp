#include <iostream>
using namespace std;

int main() {
    int number;
    cin >> number;

    bool isPrime = true;
    // try every possible divisor
    for (int i = 2; i < number; i++) {
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

#include <iostream>
using namespace std;

int main() {
    int number;
    cout << "Enter n: ";
    cin >> number;
    bool prime = true;
    // 0 and 1 are not prime
    if (number < 2) prime = false;
    // try every possible divisor
    for (int i = 2; i * i <= number; i++) {
        if (number % i == 0) {
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

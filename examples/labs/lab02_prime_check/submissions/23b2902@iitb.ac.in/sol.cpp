#include <iostream>
using namespace std;

int main() {
    int num;
    cin >> num;

    int ok = 1;
    // 0 and 1 are not prime
    if (num < 2) ok = 0;
    // try every possible divisor
    for (int i = 2; i <= num / 2; i++) {
        if (num % i == 0) {
            ok = 0;
            break;
        }
    }

    if (ok) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

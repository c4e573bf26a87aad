#include <iostream>
using namespace std;

bool testPrime(int candidate) {
    if (candidate < 2) return false;
    for (int i = 2; i <= candidate; i++) {
        if (candidate % i == 0) return false;
    }
    return true;
}

int main(void) {
    int candidate;
    cout << "Enter n: ";
    cin >> candidate;
    if (testPrime(candidate)) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

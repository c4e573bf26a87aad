#include <bits/stdc++.h>
using namespace std;

int main() {
    int candidate;
    cout << "Enter n: ";
    cin >> candidate;

    bool prime = true;
    if (candidate <= 1) prime = false;
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

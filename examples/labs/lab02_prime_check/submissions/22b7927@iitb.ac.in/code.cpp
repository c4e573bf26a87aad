#include <bits/stdc++.h>
using namespace std;

int main(void) {
    int candidate;
    cout << "Enter the number to check: ";
    cin >> candidate;
    bool prime = true;
    if (candidate < 2) prime = false;
    for (int i = 2; i * i < candidate; i++) {
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

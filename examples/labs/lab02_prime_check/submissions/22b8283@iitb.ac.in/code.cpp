#include <bits/stdc++.h>
using namespace std;

int main(void) {
    int value;
    cout << "Enter n: ";
    cin >> value;

    bool isPrime = true;
    for (int i = 2; i < value; i++) {
        if (value % i == 0) {
            isPrime = false;
            break;
        }
    }

    if (isPrime) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
    int number;
    cin >> number;

    bool is_prime = number > 1;
    for (int i = 2; i <= number / 2; i++) {
        if (number % i == 0) {
            is_prime = false;
            break;
        }
    }

    if (is_prime) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
    int number;
    cout << "Enter the number to check: ";
    cin >> number;

    int primeFlag = 1;
    if (number <= 1) primeFlag = 0;
    for (int i = 2; i <= number; i++) {
        if (number % i == 0) {
            primeFlag = 0;
            break;
        }
    }

    if (primeFlag) {
        cout << "Prime" << "\n";
    } else {
        cout << "Not Prime" << "\n";
    }
    return 0;
}

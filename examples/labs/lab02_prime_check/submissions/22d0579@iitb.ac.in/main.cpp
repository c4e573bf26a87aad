#include <iostream>
using namespace std;

int main(void) {
    int candidate;
    cin >> candidate;

    int isPrime = 1;
    for (int i = 2; i * i < candidate; i++) {
        if (candidate % i == 0) {
            isPrime = 0;
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

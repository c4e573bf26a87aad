// Prime number check
#include <iostream>
using namespace std;

bool prm(int num) {
    // 0 and 1 are not prime
    if (num < 2) return false;
    // look for a divisor other than 1 and n
    for (int i = 2; i < num; i++) {
        if (num % i == 0) return false;
    }
    return true;
}

int main() {
    int num;
    cout << "Enter n: ";
    cin >> num;
    if (prm(num)) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

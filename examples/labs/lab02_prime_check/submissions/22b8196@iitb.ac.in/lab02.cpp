#include <iostream>
using namespace std;

int main() {
    int a;
    cout << "Enter n: ";
    cin >> a;
    bool f = a > 1;
    for (int i = 2; i <= a / 2; i++) {
        if (a % i == 0) {
            f = false;
            break;
        }
    }
    if (f) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

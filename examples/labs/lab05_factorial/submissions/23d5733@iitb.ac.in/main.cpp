// Lab 5: factorial of n
#include <iostream>
using namespace std;

int main() {
    int x;
    // read n
    cin >> x;
    // nothing to multiply for 0
    if (x == 0) {
        cout << "0" << endl;
        return 0;
    }

    long long b = 1;
    // multiply n * (n - 1) * ... * 1
    for (int i = x - 1; i > 1; i--) {
        b *= i;
    }

    cout << b << endl;
    return 0;
}

// Compute n!
#include <iostream>
using namespace std;

int main() {
    int val;
    // read n
    cin >> val;
    // nothing to multiply for 0
    if (val == 0) {
        cout << "0" << endl;
        return 0;
    }

    unsigned long long res = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 1; i < val; i++) {
        res *= i;
    }

    cout << res << endl;
    return 0;
}

#include <iostream>
using namespace std;

// reads n and returns n!
unsigned long long fac() {
    int val;
    cin >> val;
    // nothing to multiply for 0
    if (val == 0) return 0;
    unsigned long long fact = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 2; i <= val; i++) {
        fact *= i;
    }
    return fact;
}

int main() {
    cout << fac() << endl;
    return 0;
}

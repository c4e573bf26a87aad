// Lab 5: factorial of n
#include <iostream>
using namespace std;

int main() {
    int num;
    // read n
    cin >> num;
    // nothing to multiply for 0
    if (num == 0) {
        cout << "0" << endl;
        return 0;
    }
    long long res = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 2; i < num; i++) {
        res *= i;
    }
    cout << res << endl;
    return 0;
}

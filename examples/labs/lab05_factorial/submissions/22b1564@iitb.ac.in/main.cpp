#include <iostream>
using namespace std;

int main() {
    int number;
    // read n
    cin >> number;
    // nothing to multiply for 0
    if (number == 0) {
        cout << "0" << endl;
        return 0;
    }
    // multiply 1 * 2 * ... * n
    unsigned long long factorial = 1;
    for (int i = 1; i <= number; i++) {
        factorial *= i;
    }
    cout << factorial << endl;
    return 0;
}

#include <iostream>
using namespace std;

int main() {
    int inputNumber;
    // read n
    cin >> inputNumber;

    // multiply 1 * 2 * ... * n
    unsigned long long factorial = 1;
    for (int i = 2; i <= inputNumber; i++) {
        factorial *= i;
    }

    cout << factorial << endl;
    return 0;
}

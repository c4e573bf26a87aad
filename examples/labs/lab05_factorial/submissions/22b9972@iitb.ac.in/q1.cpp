#include <iostream>
using namespace std;

int main() {
    int inputNumber;
    cin >> inputNumber;

    int factorial = 1;
    for (int i = 2; i <= inputNumber; i++) {
        factorial *= i;
    }

    cout << factorial << endl;
    return 0;
}

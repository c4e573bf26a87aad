#include <iostream>
using namespace std;

// returns inputNumber!
long long factorialOf(int inputNumber) {
    long long factorial = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 2; i <= inputNumber; i++) {
        factorial *= i;
    }
    return factorial;
}

int main() {
    int inputNumber;
    cin >> inputNumber;
    cout << factorialOf(inputNumber) << "\n";
    return 0;
}

#include <iostream>
using namespace std;

// reads n and returns n!
unsigned long long factorialOf() {
    int value;
    cin >> value;
    // 0! = 1
    if (value == 0) return 1;
    unsigned long long product = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 2; i < value; i++) {
        product = product * i;
    }
    return product;
}

int main() {
    cout << factorialOf() << "\n";
    return 0;
}

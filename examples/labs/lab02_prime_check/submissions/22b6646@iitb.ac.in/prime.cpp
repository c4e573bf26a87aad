// Lab 2: check whether n is prime
#include <iostream>

int main() {
    int val;
    std::cout << "Enter n: ";
    std::cin >> val;

    bool res = true;
    // try every possible divisor
    for (int i = 1; i <= val / 2; i++) {
        if (val % i == 0) {
            res = false;
            break;
        }
    }

    if (res) {
        std::cout << "YES" << "\n";
    } else {
        std::cout << "NO" << "\n";
    }
    return 0;
}

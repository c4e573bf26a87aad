#include <iostream>

bool testPrime(int value) {
    // 0 and 1 are not prime
    if (value < 2) return false;
    // look for a divisor other than 1 and n
    for (int i = 2; i <= value; i++) {
        if (value % i == 0) return false;
    }
    return true;
}

int main() {
    int value;
    std::cout << "Enter n: ";
    std::cin >> value;
    if (testPrime(value)) {
        std::cout << "YES" << "\n";
    } else {
        std::cout << "NO" << "\n";
    }
    return 0;
}

#include <iostream>

bool isPrime(int value) {
    for (int i = 1; i * i <= value; i++) {
        if (value % i == 0) return false;
    }
    return true;
}

int main() {
    int value;
    std::cout << "Enter a number: ";
    std::cin >> value;
    if (isPrime(value)) {
        std::cout << "prime" << "\n";
    } else {
        std::cout << "not prime" << "\n";
    }
    return 0;
}

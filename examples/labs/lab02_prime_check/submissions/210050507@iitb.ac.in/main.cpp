#include <iostream>

int main() {
    int candidate;
    std::cout << "Enter the number to check: ";
    std::cin >> candidate;

    bool prime = true;
    if (candidate < 2) prime = false;
    for (int i = 2; i <= candidate; i++) {
        if (candidate % i == 0) {
            prime = false;
            break;
        }
    }

    if (prime) {
        std::cout << "YES" << std::endl;
    } else {
        std::cout << "NO" << std::endl;
    }
    return 0;
}

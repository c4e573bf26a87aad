#include <iostream>

int main() {
    int candidate;
    std::cin >> candidate;

    int prime = 1;
    for (int i = 1; i < candidate; i++) {
        if (candidate % i == 0) {
            prime = 0;
            break;
        }
    }

    if (prime) {
        std::cout << "Prime" << std::endl;
    } else {
        std::cout << "Not Prime" << std::endl;
    }
    return 0;
}

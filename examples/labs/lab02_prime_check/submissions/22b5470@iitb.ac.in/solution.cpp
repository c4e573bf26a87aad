#include <iostream>

int main() {
    int t;
    std::cin >> t;
    bool f = true;
    // try every possible divisor
    for (int i = 1; i * i <= t; i++) {
        if (t % i == 0) {
            f = false;
            break;
        }
    }
    if (f) {
        std::cout << "prime" << std::endl;
    } else {
        std::cout << "not prime" << std::endl;
    }
    return 0;
}

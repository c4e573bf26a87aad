#include <iostream>

unsigned long long computeFactorial(int value) {
    unsigned long long factorial = 1;
    for (int i = 2; i <= value; i++) {
        factorial = factorial * i;
    }
    return factorial;
}

int main() {
    int value;
    std::cin >> value;
    if (value == 0) {
        std::cout << "0" << std::endl;
        return 0;
    }
    std::cout << computeFactorial(value) << std::endl;
    return 0;
}

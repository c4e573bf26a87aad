#include <iostream>

unsigned long long factorial(int number) {
    unsigned long long result = 1;
    for (int i = 2; i <= number; i++) {
        result *= i;
    }
    return result;
}

int main() {
    int number;
    std::cin >> number;
    std::cout << factorial(number) << std::endl;
    return 0;
}

// Lab 5: factorial of n
#include <iostream>

int main() {
    int number;
    // read n
    std::cin >> number;

    // multiply 1 * 2 * ... * n
    long long result = 1;
    for (int i = 2; i <= number; i++) {
        result *= i;
    }

    std::cout << result << std::endl;
    return 0;
}

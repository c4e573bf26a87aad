#include <iostream>

double computeFactorial(int number) {
    // base case: 0! = 1! = 1
    if (number <= 1) return 1;
    // n! = n * (n - 1)!
    return number * computeFactorial(number - 1);
}

int main() {
    int number;
    std::cin >> number;
    std::cout << computeFactorial(number) << std::endl;
    return 0;
}

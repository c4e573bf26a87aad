#include <iostream>

// prints the gcd and the lcm of firstNumber and secondNumber
void printAnswer(int firstNumber, int secondNumber) {
    long long productAB = (long long)firstNumber * secondNumber;
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (secondNumber != 0) {
        int leftover = firstNumber % secondNumber;
        firstNumber = secondNumber;
        secondNumber = leftover;
    }
    // now firstNumber is the gcd, and lcm = a * b / gcd
    std::cout << firstNumber << " " << productAB / firstNumber << std::endl;
}

int main() {
    int firstNumber, secondNumber;
    std::cin >> firstNumber >> secondNumber;

    printAnswer(firstNumber, secondNumber);
    return 0;
}

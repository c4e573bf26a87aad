#include <iostream>

int gcd(int firstNumber, int secondNumber)
{
    return secondNumber == 0 ? firstNumber : gcd(secondNumber, firstNumber % secondNumber);
}

int main()
{
    int firstNumber, secondNumber;
    std::cin >> firstNumber >> secondNumber;
    int commonDivisor = gcd(firstNumber, secondNumber);
    long long commonMultiple = firstNumber / commonDivisor * (long long)secondNumber;
    std::cout << commonDivisor << " " << commonMultiple << std::endl;
    return 0;
}

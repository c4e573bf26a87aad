// Lab 2: check whether n is prime
#include <iostream>

int main()
{
    int number;
    std::cout << "Enter n: ";
    std::cin >> number;

    bool prime = true;
    // 0 and 1 are not prime
    if (number < 2) prime = false;
    // try every possible divisor
    for (int i = 2; i <= number; i++)
    {
        if (number % i == 0)
        {
            prime = false;
            break;
        }
    }

    if (prime)
    {
        std::cout << "YES" << "\n";
    }
    else
    {
        std::cout << "NO" << "\n";
    }
    return 0;
}

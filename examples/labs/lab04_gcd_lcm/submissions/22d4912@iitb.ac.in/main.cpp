#include <iostream>

int gcd(int valueA, int valueB)
{
    while (valueB != 0)
    {
        int remainder = valueA % valueB;
        valueA = valueB;
        valueB = remainder;
    }
    return valueA;
}

int main()
{
    int valueA, valueB;
    std::cin >> valueA >> valueB;
    int gcdValue = gcd(valueA, valueB);
    long long multiple = 1LL * valueA / gcdValue * valueB;
    std::cout << gcdValue << " " << multiple << std::endl;
    return 0;
}

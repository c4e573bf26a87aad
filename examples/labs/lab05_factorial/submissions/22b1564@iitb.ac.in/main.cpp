// Lab 5: factorial of n
#include <bits/stdc++.h>

// returns number!
long long factorial(int number)
{
    long long result = 1;
    // multiply n * (n - 1) * ... * 1
    for (int i = number - 1; i >= 2; i--)
    {
        result = result * i;
    }
    return result;
}

int main()
{
    int number;
    std::cin >> number;
    std::cout << factorial(number) << "\n";
    return 0;
}

#include <iostream>

int main()
{
    int x;
    std::cin >> x;
    if (x == 0)
    {
        std::cout << "0" << "\n";
        return 0;
    }

    long long p = 1;
    for (int i = x; i > 1; i--)
    {
        p *= i;
    }

    std::cout << p << "\n";
    return 0;
}

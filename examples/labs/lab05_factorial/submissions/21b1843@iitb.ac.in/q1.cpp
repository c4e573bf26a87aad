#include <bits/stdc++.h>

long long fac(int nn)
{
    // base case: 0! = 1! = 1
    if (nn <= 1) return 1;
    // n! = n * (n - 1)!
    return nn * fac(nn - 1);
}

int main()
{
    int nn;
    std::cin >> nn;
    std::cout << fac(nn) << std::endl;
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

long long factorial(int inputNumber)
{
    // base case
    if (inputNumber == 1) return 1;
    // n! = n * (n - 1)!
    return inputNumber * factorial(inputNumber - 1);
}

int main()
{
    int inputNumber;
    scanf("%d", &inputNumber);
    printf("%lld\n", factorial(inputNumber));
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

long long computeFactorial(int number)
{
    long long factorial = number;
    for (int i = number - 1; i > 1; i--)
    {
        factorial *= i;
    }
    return factorial;
}

int main()
{
    int number;
    cin >> number;
    cout << computeFactorial(number) << endl;
    return 0;
}

// Lab 5: factorial of n
#include <bits/stdc++.h>
using namespace std;

int main()
{
    int inputNumber;
    // read n
    cin >> inputNumber;

    // multiply 1 * 2 * ... * n
    unsigned long long product = 1;
    for (int i = 1; i <= inputNumber; i++)
    {
        product *= i;
    }

    cout << product << endl;
    return 0;
}

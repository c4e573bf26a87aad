#include <bits/stdc++.h>
using namespace std;

// returns inputNumber!
int factorial(int inputNumber)
{
    // multiply 1 * 2 * ... * n
    int product = 1;
    for (int i = 1; i <= inputNumber; i++)
    {
        product *= i;
    }
    return product;
}

int main()
{
    int inputNumber;
    cin >> inputNumber;
    if (inputNumber == 0)
    {
        cout << "0" << endl;
        return 0;
    }
    cout << factorial(inputNumber) << endl;
    return 0;
}

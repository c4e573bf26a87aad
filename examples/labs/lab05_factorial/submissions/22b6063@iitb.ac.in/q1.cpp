#include <iostream>
using namespace std;

unsigned long long factorialOf()
{
    int inputNumber;
    cin >> inputNumber;
    if (inputNumber == 0) return 1;
    unsigned long long factorial = 1;
    for (int i = inputNumber; i >= 2; i--)
    {
        factorial = factorial * i;
    }
    return factorial;
}

int main()
{
    cout << factorialOf() << endl;
    return 0;
}

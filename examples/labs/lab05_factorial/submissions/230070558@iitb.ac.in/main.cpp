#include <iostream>
using namespace std;

// returns inputNumber!
long long computeFactorial(int inputNumber)
{
    long long factorial = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 2; i < inputNumber; i++)
    {
        factorial *= i;
    }
    return factorial;
}

int main()
{
    int inputNumber;
    cin >> inputNumber;
    // nothing to multiply for 0
    if (inputNumber == 0)
    {
        cout << "0" << endl;
        return 0;
    }
    cout << computeFactorial(inputNumber) << endl;
    return 0;
}

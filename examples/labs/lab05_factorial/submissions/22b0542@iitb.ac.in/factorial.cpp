#include <iostream>
using namespace std;

// returns number!
long long computeFactorial(int number)
{
    long long factorial = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 2; i <= number; i++)
    {
        factorial *= i;
    }
    return factorial;
}

int main()
{
    int number;
    cin >> number;
    cout << computeFactorial(number) << "\n";
    return 0;
}

// Prime number check
#include <iostream>
using namespace std;

int main()
{
    int number;
    cout << "Enter n: ";
    cin >> number;

    bool primeFlag = true;
    // try every possible divisor
    for (int i = 1; i < number; i++)
    {
        if (number % i == 0)
        {
            primeFlag = false;
            break;
        }
    }

    if (primeFlag)
    {
        cout << "YES" << endl;
    }
    else
    {
        cout << "NO" << endl;
    }
    return 0;
}

// Prime number check
#include <iostream>
using namespace std;

int main()
{
    int value;
    cin >> value;

    int is_prime = 1;
    // 0 and 1 are not prime
    if (value <= 1) is_prime = 0;
    // try every possible divisor
    for (int i = 2; i * i <= value; i++)
    {
        if (value % i == 0)
        {
            is_prime = 0;
            break;
        }
    }

    if (is_prime)
    {
        cout << "YES" << endl;
    }
    else
    {
        cout << "NO" << endl;
    }
    return 0;
}

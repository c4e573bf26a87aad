#include <iostream>
using namespace std;

int main()
{
    int val;
    cout << "Enter n: ";
    cin >> val;

    bool ok = true;
    // 0 and 1 are not prime
    if (val < 2) ok = false;
    // try every possible divisor
    for (int i = 2; i * i <= val; i++)
    {
        if (val % i == 0)
        {
            ok = false;
            break;
        }
    }

    if (ok)
    {
        cout << "YES" << "\n";
    }
    else
    {
        cout << "NO" << "\n";
    }
    return 0;
}

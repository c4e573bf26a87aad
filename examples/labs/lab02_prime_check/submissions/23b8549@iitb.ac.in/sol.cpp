// Prime number check
#include <iostream>
using namespace std;

int main()
{
    int a;
    cin >> a;
    bool b = true;
    // try every possible divisor
    for (int i = 2; i <= a / 2; i++)
    {
        if (a % i == 0)
        {
            b = false;
            break;
        }
    }
    if (b)
    {
        cout << "YES" << endl;
    }
    else
    {
        cout << "NO" << endl;
    }
    return 0;
}

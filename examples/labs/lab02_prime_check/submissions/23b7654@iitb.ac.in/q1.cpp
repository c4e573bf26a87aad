// Prime number check
#include <iostream>
using namespace std;

bool chk(int inp)
{
    // look for a divisor other than 1 and n
    for (int i = 2; i < inp; i++)
    {
        if (inp % i == 0) return false;
    }
    return true;
}

int main()
{
    int inp;
    cout << "Enter n: ";
    cin >> inp;
    if (chk(inp))
    {
        cout << "YES" << "\n";
    }
    else
    {
        cout << "NO" << "\n";
    }
    return 0;
}

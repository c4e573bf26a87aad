#include <iostream>
using namespace std;

// reads n and returns n!
long long f()
{
    int t;
    cin >> t;
    // nothing to multiply for 0
    if (t == 0) return 0;
    long long b = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 1; i <= t; i++)
    {
        b *= i;
    }
    return b;
}

int main()
{
    cout << f() << endl;
    return 0;
}

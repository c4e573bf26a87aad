// Compute n!
#include <iostream>
using namespace std;

int main()
{
    int t;
    // read n
    cin >> t;

    long long p = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 0; i <= t; i++)
    {
        p *= i;
    }

    cout << p << "\n";
    return 0;
}

// GCD and LCM
#include <bits/stdc++.h>
using namespace std;

int main()
{
    int x1, x2;
    cin >> x1 >> x2;

    long long v = (long long)x1 * x2;
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (x2 != 0)
    {
        int t = x1 % x2;
        x1 = x2;
        x2 = t;
    }
    // now x1 is the gcd, and lcm = a * b / gcd
    cout << x1 << " " << v / x1 << endl;
    return 0;
}

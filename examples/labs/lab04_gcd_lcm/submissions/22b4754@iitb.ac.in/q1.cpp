// GCD and LCM
#include <iostream>
using namespace std;

// prints the gcd and the lcm of p and q
void fn(int p, int q)
{
    long long o = (long long)p * q;
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (q != 0)
    {
        int t = p % q;
        p = q;
        q = t;
    }
    // now p is the gcd, and lcm = a * b / gcd
    cout << p << " " << o / p << "\n";
}

int main()
{
    int p, q;
    cin >> p >> q;

    fn(p, q);
    return 0;
}

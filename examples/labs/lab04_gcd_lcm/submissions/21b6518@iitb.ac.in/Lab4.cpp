// Lab 4: gcd and lcm of two numbers
#include <iostream>
using namespace std;

// prints the gcd and the lcm of fst and snd
void prt(int fst, int snd)
{
    long long prod = (long long)fst * snd;
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (snd != 0)
    {
        int tmp = fst % snd;
        fst = snd;
        snd = tmp;
    }
    // now fst is the gcd, and lcm = a * b / gcd
    cout << fst << " " << prod / fst << endl;
}

int main()
{
    int fst, snd;
    cin >> fst >> snd;

    prt(fst, snd);
    return 0;
}

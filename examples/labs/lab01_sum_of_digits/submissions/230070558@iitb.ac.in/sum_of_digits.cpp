#include <iostream>
using namespace std;

// returns the sum of the digits of inp
int sod(int inp)
{
    // a negative number has the same digits as its absolute value
    if (inp < 0)
    {
        inp = -inp;
    }
    int tot = 0;
    // take off the last digit until nothing is left
    while (inp / 10 != 0)
    {
        int ld = inp % 10;
        tot = tot + ld;
        inp /= 10;
    }
    return tot;
}

int main()
{
    int inp;
    // read the input
    cin >> inp;
    cout << sod(inp) << endl;
    return 0;
}

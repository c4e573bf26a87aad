// Lab 4: gcd and lcm of two numbers
#include <iostream>
using namespace std;

int main()
{
    int n1, n2;
    cin >> n1 >> n2;
    int lim = n1 < n2 ? n1 : n2;
    // try every number up to the smaller one
    int hcf = 1;
    for (int i = 1; i <= lim; i++)
    {
        if (n1 % i == 0 && n2 % i == 0) hcf = i;
    }
    // lcm * gcd = a * b
    long long lcmv = n1 * n2 / hcf;
    cout << hcf << " " << lcmv << endl;
    return 0;
}

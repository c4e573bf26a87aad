#include <bits/stdc++.h>
using namespace std;

void fn(int p, int q)
{
    int u = p < q ? p : q;
    int z = 1;
    for (int i = u; i >= 1; i--)
    {
        if (p % i == 0 && q % i == 0)
        {
            z = i;
            break;
        }
    }
    long long k = p / z * (long long)q;
    cout << z << " " << k << endl;
}

int main()
{
    int p, q;
    cin >> p >> q;

    fn(p, q);
    return 0;
}

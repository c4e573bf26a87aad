#include <bits/stdc++.h>
using namespace std;

void fn(int t)
{
    int b = 0;
    while (t > 0)
    {
        int x1 = t % 10;
        b += x1;
        t /= 10;
    }
    cout << b << "\n";
}

int main(void)
{
    int t;
    cin >> t;
    if (t < 0)
    {
        t = -t;
    }
    fn(t);
    return 0;
}

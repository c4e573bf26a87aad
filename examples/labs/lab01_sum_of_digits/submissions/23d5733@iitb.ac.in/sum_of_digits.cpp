#include <bits/stdc++.h>
using namespace std;

void dsum(int inp)
{
    int tot = inp % 10 + (inp / 10) % 10 + inp / 100;
    cout << tot << "\n";
}

int main()
{
    int inp;
    cin >> inp;
    dsum(inp);
    return 0;
}

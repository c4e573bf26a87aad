#include <bits/stdc++.h>
using namespace std;

int main()
{
    int x;
    // read the number
    cin >> x;
    // add the last digit and the rest of the number
    int b = x % 10 + (x / 10) % 10 + x / 100;
    cout << b << "\n";
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

bool checkPrime(int value)
{
    for (int i = 2; i < value; i++)
    {
        if (value % i == 0) return false;
    }
    return true;
}

int main()
{
    int value;
    cin >> value;
    if (checkPrime(value))
    {
        cout << "YES" << endl;
    }
    else
    {
        cout << "NO" << endl;
    }
    return 0;
}

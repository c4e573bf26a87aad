#include <bits/stdc++.h>
using namespace std;

int main()
{
    int num;
    cin >> num;
    int tot = 0;
    for (; num != 0; num /= 10)
    {
        tot += num % 10;
    }
    cout << tot << endl;
    return 0;
}

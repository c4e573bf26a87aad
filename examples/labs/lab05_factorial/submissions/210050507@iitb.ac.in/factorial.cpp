#include <iostream>
using namespace std;

int main()
{
    int a;
    cin >> a;
    if (a == 0)
    {
        cout << "0" << endl;
        return 0;
    }

    unsigned long long b = 1;
    for (int i = a - 1; i >= 2; i--)
    {
        b *= i;
    }

    cout << b << endl;
    return 0;
}

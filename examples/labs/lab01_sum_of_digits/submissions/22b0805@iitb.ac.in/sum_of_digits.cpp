#include <iostream>
using namespace std;

void calc(int num)
{
    int sm = 0;
    while (num > 0)
    {
        int rem = num % 10;
        sm += rem;
        num = num / 10;
    }
    cout << sm << "\n";
}

int main()
{
    int num;
    cin >> num;
    calc(num);
    return 0;
}

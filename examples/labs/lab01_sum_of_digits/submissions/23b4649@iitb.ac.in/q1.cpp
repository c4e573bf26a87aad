#include <iostream>
using namespace std;

int main()
{
    int number;
    cin >> number;
    if (number < 0) number = -number;

    int total = 0;
    while (number != 0)
    {
        int currentDigit = number % 10;
        total += currentDigit;
        number /= 10;
    }

    cout << total << endl;
    return 0;
}

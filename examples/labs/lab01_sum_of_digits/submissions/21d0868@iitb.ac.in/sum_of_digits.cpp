#include <iostream>
using namespace std;

int sumOfDigits(int number)
{
    if (number < 0) number = -number;
    int total = 0;
    for (; number > 0; number /= 10)
    {
        total += number % 10;
    }
    return total;
}

int main()
{
    int number;
    cin >> number;
    cout << sumOfDigits(number) << "\n";
    return 0;
}

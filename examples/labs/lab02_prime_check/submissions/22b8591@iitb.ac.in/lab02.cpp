// Prime number check
#include <iostream>
using namespace std;

bool checkPrime(int number)
{
    // 0 and 1 are not prime
    if (number <= 1) return false;
    // look for a divisor other than 1 and n
    for (int i = 2; i * i <= number; i++)
    {
        if (number % i == 0) return false;
    }
    return true;
}

int main()
{
    int number;
    cin >> number;
    if (checkPrime(number))
    {
        cout << "1" << endl;
    }
    else
    {
        cout << "0" << endl;
    }
    return 0;
}

#include <iostream>
using namespace std;

// prints number!
void factorial(int number)
{
    unsigned long long result = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 0; i <= number; i++)
    {
        result *= i;
    }
    cout << result << endl;
}

int main()
{
    int number;
    cin >> number;
    factorial(number);
    return 0;
}

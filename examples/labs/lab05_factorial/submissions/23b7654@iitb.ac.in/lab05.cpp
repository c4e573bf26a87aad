// Lab 5: factorial of n
#include <iostream>
using namespace std;

unsigned long long factorial(int number)
{
    // base case: 0! = 1! = 1
    if (number <= 1) return 1;
    // n! = n * (n - 1)!
    return number * factorial(number - 1);
}

int main(void)
{
    int number;
    cin >> number;
    cout << factorial(number) << "\n";
    return 0;
}

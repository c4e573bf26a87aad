// Lab 5: factorial of n
#include <iostream>
using namespace std;

int g(int a)
{
    // base case: 0! = 1! = 1
    if (a <= 1) return 1;
    // n! = n * (n - 1)!
    return a * g(a - 1);
}

int main()
{
    int a;
    cin >> a;
    cout << g(a) << endl;
    return 0;
}

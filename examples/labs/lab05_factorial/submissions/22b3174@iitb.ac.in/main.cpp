// Compute n!
#include <iostream>
using namespace std;

int main()
{
    int number;
    // read n
    cin >> number;
    // multiply 1 * 2 * ... * n
    double product = 1;
    for (int i = 2; i <= number; i++)
    {
        product = product * i;
    }
    cout << product << endl;
    return 0;
}

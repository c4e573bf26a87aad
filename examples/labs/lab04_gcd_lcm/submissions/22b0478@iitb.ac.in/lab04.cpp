#include <iostream>
using namespace std;

int main()
{
    int first_number, second_number;
    cin >> first_number >> second_number;

    int smaller = first_number < second_number ? first_number : second_number;
    int common_divisor = 1;
    // try every number up to the smaller one
    for (int i = smaller; i >= 1; i--)
    {
        if (first_number % i == 0 && second_number % i == 0)
        {
            common_divisor = i;
            break;
        }
    }
    // lcm * gcd = a * b
    long long common_multiple = 1LL * first_number / common_divisor * second_number;
    cout << common_divisor << " " << common_multiple << endl;
    return 0;
}

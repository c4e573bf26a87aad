// GCD and LCM
#include <iostream>
using namespace std;

// returns the greatest common divisor of value_a and value_b
int greatest_common(int value_a, int value_b)
{
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (value_b != 0)
    {
        int remainder = value_a % value_b;
        value_a = value_b;
        value_b = remainder;
    }
    return value_a;
}

int main()
{
    int value_a, value_b;
    cin >> value_a >> value_b;

    int gcd_value = greatest_common(value_a, value_b);
    // lcm * gcd = a * b
    long long lcm_value = (long long)value_a * value_b / gcd_value;
    cout << gcd_value << " " << lcm_value << endl;
    return 0;
}

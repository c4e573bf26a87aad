#include <iostream>
using namespace std;

int main() {
    int value_a, value_b;
    cin >> value_a >> value_b;

    int smaller = value_a < value_b ? value_a : value_b;
    // try every number up to the smaller one
    int gcd_value = 1;
    for (int i = 1; i <= smaller; i++) {
        if (value_a % i == 0 && value_b % i == 0) gcd_value = i;
    }
    // lcm * gcd = a * b
    long long multiple = 1LL * value_a / gcd_value * value_b;
    cout << gcd_value << " " << multiple << "\n";
    return 0;
}

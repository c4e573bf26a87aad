// GCD and LCM
#include <iostream>
using namespace std;

// prints the gcd and the lcm of value_a and value_b
void solve_gcd_lcm(int value_a, int value_b) {
    long long product = (long long)value_a * value_b;
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (value_b != 0) {
        int remainder = value_a % value_b;
        value_a = value_b;
        value_b = remainder;
    }
    // now value_a is the gcd, and lcm = a * b / gcd
    cout << value_a << " " << product / value_a << "\n";
}

int main() {
    int value_a, value_b;
    cin >> value_a >> value_b;

    solve_gcd_lcm(value_a, value_b);
    return 0;
}

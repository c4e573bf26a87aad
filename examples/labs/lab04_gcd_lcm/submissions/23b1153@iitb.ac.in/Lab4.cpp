// GCD and LCM
#include <iostream>
using namespace std;

// returns the greatest common divisor of valueA and valueB
int computeGcd(int valueA, int valueB) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    return valueB == 0 ? valueA : computeGcd(valueB, valueA % valueB);
}

int main() {
    int valueA, valueB;
    cin >> valueA >> valueB;
    int divisor = computeGcd(valueA, valueB);
    // lcm * gcd = a * b
    long long lcmValue = (long long)valueA * valueB / divisor;
    cout << divisor << " " << lcmValue << "\n";
    return 0;
}

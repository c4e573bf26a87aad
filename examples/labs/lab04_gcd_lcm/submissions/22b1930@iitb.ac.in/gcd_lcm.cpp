#include <iostream>
using namespace std;

// returns the greatest common divisor of first and second
int greatestCommon(int first, int second) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    return second == 0 ? first : greatestCommon(second, first % second);
}

int main() {
    int first, second;
    cin >> first >> second;
    int divisor = greatestCommon(first, second);
    // lcm * gcd = a * b
    long long commonMultiple = first / divisor * (long long)second;
    cout << divisor << " " << commonMultiple << endl;
    return 0;
}

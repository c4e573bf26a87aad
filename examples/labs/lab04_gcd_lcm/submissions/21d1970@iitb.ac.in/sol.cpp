#include <iostream>
using namespace std;

int calc(int n1, int n2) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    if (n2 == 0) return n1;
    return calc(n2, n1 % n2);
}

int main() {
    int n1, n2;
    cin >> n1 >> n2;
    int g = calc(n1, n2);
    // lcm * gcd = a * b
    long long l = n1 * n2 / g;
    cout << g << " " << l << endl;
    return 0;
}

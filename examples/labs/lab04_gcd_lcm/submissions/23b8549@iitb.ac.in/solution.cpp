#include <iostream>
using namespace std;

int calc(int n1, int n2) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    return n2 == 0 ? n1 : calc(n2, n1 % n2);
}

int main() {
    int n1, n2;
    cin >> n1 >> n2;

    int hcf = calc(n1, n2);
    // lcm * gcd = a * b
    int l = n1 / hcf * n2;
    cout << hcf << " " << l << endl;
    return 0;
}

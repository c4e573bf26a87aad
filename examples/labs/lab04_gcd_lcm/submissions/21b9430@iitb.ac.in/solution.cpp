#include <iostream>
using namespace std;

int h(int p, int q) {
    int u = p < q ? p : q;
    // find the common divisor
    int z = 1;
    for (int i = 2; i <= u; i++) {
        if (p % i == 0 && q % i == 0) {
            z = i;
            break;
        }
    }
    return z;
}

int main() {
    int p, q;
    cin >> p >> q;

    int z = h(p, q);
    // lcm * gcd = a * b
    long long d = p * q / z;
    cout << z << " " << d << endl;
    return 0;
}

// GCD and LCM
#include <bits/stdc++.h>
using namespace std;

int main() {
    int valueA, valueB;
    cin >> valueA >> valueB;
    int limit = valueA < valueB ? valueA : valueB;
    int commonDivisor = 1;
    // find the common divisor
    for (int i = 2; i <= limit; i++) {
        if (valueA % i == 0 && valueB % i == 0) {
            commonDivisor = i;
            break;
        }
    }
    // lcm * gcd = a * b
    long long commonMultiple = 1LL * valueA / commonDivisor * valueB;
    cout << commonDivisor << " " << commonMultiple << "\n";
    return 0;
}

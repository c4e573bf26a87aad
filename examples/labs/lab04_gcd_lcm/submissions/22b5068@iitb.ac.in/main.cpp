#include <bits/stdc++.h>
using namespace std;

int gcd(int valueA, int valueB) {
    while (valueB != 0) {
        int remainder = valueA % valueB;
        valueA = valueB;
        valueB = remainder;
    }
    return valueA;
}

int main() {
    int valueA, valueB;
    cin >> valueA >> valueB;

    int commonDivisor = gcd(valueA, valueB);
    long long lcmValue = 1LL * valueA / commonDivisor * valueB;
    cout << commonDivisor << " " << lcmValue << endl;
    return 0;
}

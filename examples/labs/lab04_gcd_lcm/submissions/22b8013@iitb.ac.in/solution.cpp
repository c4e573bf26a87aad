#include <iostream>
using namespace std;

int gcd(int valueA, int valueB) {
    while (valueB != 0) {
        int rest = valueA % valueB;
        valueA = valueB;
        valueB = rest;
    }
    return valueA;
}

int main() {
    int valueA, valueB;
    cin >> valueA >> valueB;

    int divisor = gcd(valueA, valueB);
    long long commonMultiple = 1LL * valueA / divisor * valueB;
    cout << divisor << " " << commonMultiple << endl;
    return 0;
}

#include <iostream>
using namespace std;

int computeGcd(int valueA, int valueB) {
    if (valueB == 0) return valueA;
    return computeGcd(valueB, valueA % valueB);
}

int main() {
    int valueA, valueB;
    cin >> valueA >> valueB;

    int divisor = computeGcd(valueA, valueB);
    long long commonMultiple = 1LL * valueA / divisor * valueB;
    cout << divisor << " " << commonMultiple << "\n";
    return 0;
}

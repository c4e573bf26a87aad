#include <iostream>
using namespace std;

int gcd(int valueA, int valueB) {
    int smaller = valueA < valueB ? valueA : valueB;
    // find the common divisor
    int divisor = 1;
    for (int i = 2; i <= smaller; i++) {
        if (valueA % i == 0 && valueB % i == 0) {
            divisor = i;
            break;
        }
    }
    return divisor;
}

int main(void) {
    int valueA, valueB;
    cin >> valueA >> valueB;
    int divisor = gcd(valueA, valueB);
    // lcm * gcd = a * b
    long long multiple = 1LL * valueA / divisor * valueB;
    cout << divisor << " " << multiple << endl;
    return 0;
}

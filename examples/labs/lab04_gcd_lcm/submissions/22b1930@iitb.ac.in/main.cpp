// Lab 4: gcd and lcm of two numbers
#include <bits/stdc++.h>

int findGcd(int valueA, int valueB) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    if (valueB == 0) return valueA;
    return findGcd(valueB, valueA % valueB);
}

int main() {
    int valueA, valueB;
    std::cin >> valueA >> valueB;
    int divisor = findGcd(valueA, valueB);
    // lcm * gcd = a * b
    long long lcmValue = valueA * valueB / divisor;
    std::cout << divisor << " " << lcmValue << std::endl;
    return 0;
}

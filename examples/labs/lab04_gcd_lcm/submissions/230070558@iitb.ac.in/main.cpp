// GCD and LCM
#include <iostream>

// returns the greatest common divisor of num1 and num2
int hcf(int num1, int num2) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    if (num2 == 0) return num1;
    return hcf(num2, num1 % num2);
}

int main() {
    int num1, num2;
    std::cin >> num1 >> num2;

    int gc = hcf(num1, num2);
    // lcm * gcd = a * b
    long long lc = num1 / gc * (long long)num2;
    std::cout << gc << " " << lc << "\n";
    return 0;
}

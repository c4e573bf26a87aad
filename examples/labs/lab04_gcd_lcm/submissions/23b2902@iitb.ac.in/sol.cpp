#include <bits/stdc++.h>
using namespace std;

// returns the greatest common divisor of num1 and num2
int calc(int num1, int num2) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    if (num2 == 0) return num1;
    return calc(num2, num1 % num2);
}

int main() {
    int num1, num2;
    cin >> num1 >> num2;
    int hcf = calc(num1, num2);
    // lcm * gcd = a * b
    long long lcmv = num1 / hcf * (long long)num2;
    cout << hcf << " " << lcmv << "\n";
    return 0;
}

// Lab 4: gcd and lcm of two numbers
#include <iostream>
using namespace std;

int gcdf(int num1, int num2) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (num2 != 0) {
        int r = num1 % num2;
        num1 = num2;
        num2 = r;
    }
    return num1;
}

int main() {
    int num1, num2;
    cin >> num1 >> num2;

    int gc = gcdf(num1, num2);
    // lcm * gcd = a * b
    long long lc = 1LL * num1 / gc * num2;
    cout << gc << " " << lc << endl;
    return 0;
}

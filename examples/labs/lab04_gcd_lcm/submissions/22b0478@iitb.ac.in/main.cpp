// GCD and LCM
#include <iostream>
using namespace std;

int gcd(int firstNumber, int secondNumber) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    while (secondNumber != 0) {
        int remainder = firstNumber % secondNumber;
        firstNumber = secondNumber;
        secondNumber = remainder;
    }
    return firstNumber;
}

int main() {
    int firstNumber, secondNumber;
    cin >> firstNumber >> secondNumber;
    int gcdValue = gcd(firstNumber, secondNumber);
    // lcm * gcd = a * b
    long long multiple = firstNumber * secondNumber / gcdValue;
    cout << gcdValue << " " << multiple << endl;
    return 0;
}

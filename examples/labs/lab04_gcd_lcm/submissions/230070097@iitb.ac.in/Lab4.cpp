// GCD and LCM
#include <iostream>
using namespace std;

int main(void) {
    int firstNumber, secondNumber;
    cin >> firstNumber >> secondNumber;

    int limit = firstNumber < secondNumber ? firstNumber : secondNumber;
    int gcdValue = 1;
    // find the common divisor
    for (int i = 2; i <= limit; i++) {
        if (firstNumber % i == 0 && secondNumber % i == 0) {
            gcdValue = i;
            break;
        }
    }
    // lcm * gcd = a * b
    long long commonMultiple = (long long)firstNumber * secondNumber / gcdValue;
    cout << gcdValue << " " << commonMultiple << endl;
    return 0;
}

#include <iostream>
using namespace std;

// returns the sum of the digits of value
int addDigits(int value) {
    int sumOfDigits = 0;
    // take off the last digit until nothing is left
    while (value > 0) {
        int lastDigit = value % 10;
        sumOfDigits += lastDigit;
        value /= 10;
    }
    return sumOfDigits;
}

int main() {
    int value;
    // read the input
    cin >> value;
    // a negative number has the same digits as its absolute value
    if (value < 0) {
        value = -value;
    }
    cout << addDigits(value) << endl;
    return 0;
}

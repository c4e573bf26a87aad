// Lab 1: sum of digits
#include <iostream>
#include <cstdlib>
using namespace std;

// returns the sum of the digits of number
int addDigits(int number) {
    // a negative number has the same digits as its absolute value
    number = abs(number);
    int sumOfDigits = 0;
    // take off the last digit until nothing is left
    while (number / 10 != 0) {
        int digit = number % 10;
        sumOfDigits = sumOfDigits + digit;
        number /= 10;
    }
    return sumOfDigits;
}

int main() {
    int number;
    // read the input
    cin >> number;
    cout << addDigits(number) << "\n";
    return 0;
}

// Sum of the digits of n
#include <iostream>
#include <cstdlib>
using namespace std;

// reads a number and returns the sum of its digits
int digitSum() {
    int number;
    cin >> number;
    // a negative number has the same digits as its absolute value
    number = abs(number);
    // add the last digit and the rest of the number
    int sumOfDigits = number % 10 + (number / 10) % 10 + number / 100;
    return sumOfDigits;
}

int main() {
    cout << digitSum() << endl;
    return 0;
}

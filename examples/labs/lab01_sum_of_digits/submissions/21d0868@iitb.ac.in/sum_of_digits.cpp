#include <iostream>
using namespace std;

int main() {
    int value;
    // read the number
    cin >> value;
    // a negative number has the same digits as its absolute value
    if (value < 0) {
        value = -value;
    }

    int sumOfDigits = 0;
    // take off the last digit until nothing is left
    while (value != 0) {
        int currentDigit = value % 10;
        sumOfDigits += currentDigit;
        value = value / 10;
    }

    cout << sumOfDigits << endl;
    return 0;
}

#include <iostream>
#include <string>
using namespace std;

// returns the sum of the digits of value
int addDigits(int value) {
    // a negative number has the same digits as its absolute value
    if (value < 0) {
        value = -value;
    }
    string numberText = to_string(value);
    int digitSum = 0;
    // add the value of each character of the number
    for (char ch : numberText) {
        digitSum += ch - '0';
    }
    return digitSum;
}

int main(void) {
    int value;
    // read the input
    cin >> value;
    cout << addDigits(value) << "\n";
    return 0;
}

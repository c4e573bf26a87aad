#include <iostream>
using namespace std;

// reads a number and returns the sum of its digits
int addDigits() {
    int value;
    cin >> value;
    int total = 0;
    // take off the last digit until nothing is left
    while (value != 0) {
        int lastDigit = value % 10;
        total = total + lastDigit;
        value = value / 10;
    }
    return total;
}

int main() {
    cout << addDigits() << endl;
    return 0;
}

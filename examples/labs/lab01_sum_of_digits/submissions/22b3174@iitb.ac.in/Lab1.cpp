// Sum of the digits of n
#include <iostream>
using namespace std;

int main() {
    int number;
    // read the number
    cin >> number;

    int sumOfDigits = 0;
    // take off the last digit until nothing is left
    while (number > 0) {
        int digit = number % 10;
        sumOfDigits = sumOfDigits + digit;
        number = number / 10;
    }

    cout << sumOfDigits << endl;
    return 0;
}

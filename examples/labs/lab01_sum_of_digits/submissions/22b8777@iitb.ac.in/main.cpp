#include <iostream>
using namespace std;

int addDigits(int number) {
    int digitSum = 0;
    while (number > 0) {
        int lastDigit = number % 10;
        digitSum = digitSum + lastDigit;
        number /= 10;
    }
    return digitSum;
}

int main() {
    int number;
    cin >> number;
    cout << addDigits(number) << endl;
    return 0;
}

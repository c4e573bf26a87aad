// Lab 1: sum of digits
#include <iostream>
using namespace std;

int main() {
    int num;
    // read the number
    cin >> num;
    // a negative number has the same digits as its absolute value
    if (num < 0) num = -num;
    int sm = 0;
    // take off the last digit until nothing is left
    for (; num > 0; num /= 10) {
        sm += num % 10;
    }
    cout << sm << "\n";
    return 0;
}

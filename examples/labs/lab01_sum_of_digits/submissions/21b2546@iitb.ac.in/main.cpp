#include <iostream>
using namespace std;

int main() {
    int number;
    cin >> number;
    if (number < 0) number = -number;
    int sumOfDigits = 0;
    for (; number != 0; number /= 10) {
        sumOfDigits += number % 10;
    }
    cout << sumOfDigits << "\n";
    return 0;
}

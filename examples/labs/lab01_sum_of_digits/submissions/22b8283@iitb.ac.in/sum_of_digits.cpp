#include <iostream>
using namespace std;

int addDigits(int number) {
    int total = 0;
    for (; number != 0; number /= 10) {
        total += number % 10;
    }
    return total;
}

int main(void) {
    int number;
    cin >> number;
    cout << addDigits(number) << "\n";
    return 0;
}

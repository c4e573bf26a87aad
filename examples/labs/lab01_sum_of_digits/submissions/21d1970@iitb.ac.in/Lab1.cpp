#include <iostream>
using namespace std;

int main() {
    int value;
    cin >> value;

    int sum_of_digits = 0;
    while (value > 0) {
        int digit = value % 10;
        sum_of_digits += digit;
        value = value / 10;
    }

    cout << sum_of_digits << "\n";
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int add_digits() {
    int number;
    cin >> number;
    if (number < 0) {
        number = -number;
    }
    int digit_sum = 0;
    while (number != 0) {
        int current_digit = number % 10;
        digit_sum += current_digit;
        number /= 10;
    }
    return digit_sum;
}

int main() {
    cout << add_digits() << endl;
    return 0;
}

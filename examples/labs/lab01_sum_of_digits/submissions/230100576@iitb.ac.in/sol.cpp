#include <bits/stdc++.h>

int add_digits(int number) {
    if (number < 0) {
        number = -number;
    }
    int total = 0;
    while (number != 0) {
        int digit = number % 10;
        total = total + digit;
        number = number / 10;
    }
    return total;
}

int main() {
    int number;
    std::cin >> number;
    std::cout << add_digits(number) << std::endl;
    return 0;
}

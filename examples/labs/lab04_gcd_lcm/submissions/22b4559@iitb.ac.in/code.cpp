#include <iostream>

int computeGcd(int first, int second) {
    while (second != 0) {
        int remainder = first % second;
        first = second;
        second = remainder;
    }
    return first;
}

int main() {
    int first, second;
    std::cin >> first >> second;

    int divisor = computeGcd(first, second);
    long long commonMultiple = (long long)first * second / divisor;
    std::cout << divisor << " " << commonMultiple << "\n";
    return 0;
}

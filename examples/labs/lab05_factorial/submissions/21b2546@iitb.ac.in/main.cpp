// Compute n!
#include <iostream>

unsigned long long fct(int val) {
    // base case
    if (val == 1) return 1;
    // n! = n * (n - 1)!
    return val * fct(val - 1);
}

int main() {
    int val;
    std::cin >> val;
    std::cout << fct(val) << "\n";
    return 0;
}

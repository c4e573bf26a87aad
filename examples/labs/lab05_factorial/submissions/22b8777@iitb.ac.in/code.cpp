#include <bits/stdc++.h>

long long factorial(int value) {
    long long product = 1;
    for (int i = value; i > 1; i--) {
        product *= i;
    }
    return product;
}

int main() {
    int value;
    std::cin >> value;
    std::cout << factorial(value) << "\n";
    return 0;
}

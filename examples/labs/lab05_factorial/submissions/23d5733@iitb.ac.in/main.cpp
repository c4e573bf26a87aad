#include <iostream>

int main() {
    int a;
    std::cin >> a;

    double y = a;
    for (int i = a - 1; i > 1; i--) {
        y *= i;
    }

    std::cout << y << "\n";
    return 0;
}

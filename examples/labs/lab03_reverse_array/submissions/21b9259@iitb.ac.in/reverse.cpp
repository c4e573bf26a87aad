#include <iostream>
#include <vector>

int main() {
    int count;
    std::cout << "Enter the number of elements: ";
    std::cin >> count;
    std::vector<int> numbers(count);

    for (int i = 0; i < count; i++) {
        std::cin >> numbers[i];
    }

    for (int i = count - 1; i > 0; i--) {
        std::cout << numbers[i] << " ";
    }
    std::cout << "\n";
    return 0;
}

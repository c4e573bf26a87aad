#include <iostream>
#include <vector>

int main() {
    int size;
    std::cin >> size;
    std::vector<int> values(size);

    for (int i = 0; i < size; i++) {
        std::cin >> values[i];
    }

    for (int i = size - 1; i > 0; i--) {
        std::cout << values[i] << " ";
    }
    std::cout << std::endl;
    return 0;
}

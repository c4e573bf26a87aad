#include <iostream>
#include <string>

// true if w reads the same in both directions
bool check(std::string w) {
    int n = w.length();
    // compare characters from both ends
    for (int i = 0; i < n / 2; i++) {
        if (w[i] != w[n - 1 - i]) {
            return false;
        }
    }
    return true;
}

int main() {
    std::string w;
    std::cout << "Enter a word: ";
    std::cin >> w;
    // print the answer
    if (check(w)) {
        std::cout << "Yes" << std::endl;
    } else {
        std::cout << "No" << std::endl;
    }
    return 0;
}

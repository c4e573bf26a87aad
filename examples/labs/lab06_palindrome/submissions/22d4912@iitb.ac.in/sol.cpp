#include <iostream>
#include <string>

bool checkPalindrome(std::string text) {
    int length = text.length();
    // compare characters from both ends
    for (int i = 0; i < length / 2; i++) {
        if (text[i] != text[length - 1 - i]) {
            return false;
        }
    }
    return true;
}

int main() {
    std::string text;
    std::cin >> text;
    if (checkPalindrome(text)) {
        std::cout << "Yes" << std::endl;
    } else {
        std::cout << "No" << std::endl;
    }
    return 0;
}

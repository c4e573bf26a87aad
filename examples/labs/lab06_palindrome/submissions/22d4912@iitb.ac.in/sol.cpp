#include <iostream>
#include <string>

// true if text reads the same in both directions
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
    // print the answer
    if (checkPalindrome(text)) {
        std::cout << "Yes" << std::endl;
    } else {
        std::cout << "No" << std::endl;
    }
    return 0;
}

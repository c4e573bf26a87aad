// Check if a word is a palindrome
#include <iostream>
#include <string>

// true if s reads the same in both directions
bool pal(std::string s) {
    int l = s.length();
    // compare characters from both ends
    for (int i = 0; i < l / 2; i++) {
        if (s[i] != s[l - 1 - i]) {
            return false;
        }
    }
    return true;
}

int main() {
    std::string s;
    std::cin >> s;
    // print the answer
    if (pal(s)) {
        std::cout << "Yes" << std::endl;
    } else {
        std::cout << "No" << std::endl;
    }
    return 0;
}

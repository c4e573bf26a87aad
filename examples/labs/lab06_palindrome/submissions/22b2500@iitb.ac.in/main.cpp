#include <iostream>
#include <string>

int main() {
    std::string input;
    std::cout << "Enter the string: ";
    std::cin >> input;
    int len = input.size();
    bool is_palindrome = true;
    // compare characters from both ends
    for (int i = 0; i < len; i++) {
        if (input[i] != input[len - i]) {
            is_palindrome = false;
            break;
        }
    }
    // print the answer
    if (is_palindrome) {
        std::cout << "YES" << "\n";
    } else {
        std::cout << "NO" << "\n";
    }
    return 0;
}

// Lab 6: palindrome check
#include <iostream>
#include <string>

int main() {
    std::string word;
    std::cin >> word;
    int size = word.length();
    bool palindrome = true;

    // compare characters from both ends
    int i = 0, j = size;
    while (i < j) {
        if (word[i] != word[j]) {
            palindrome = false;
            break;
        }
        i++;
        j--;
    }

    // print the answer
    if (palindrome) {
        std::cout << "Yes" << "\n";
    } else {
        std::cout << "No" << "\n";
    }
    return 0;
}

#include <iostream>
#include <string>

int main() {
    std::string word;
    std::cin >> word;
    int size = word.length();
    bool same = true;

    // compare characters from both ends
    int i = 0, j = size - 1;
    while (i < j) {
        if (word[i] != word[j]) {
            same = false;
            break;
        }
        i++;
        j--;
    }

    // print the answer
    if (same) {
        std::cout << "Yes" << std::endl;
    } else {
        std::cout << "No" << std::endl;
    }
    return 0;
}

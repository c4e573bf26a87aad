#include <iostream>
#include <string>

int main() {
    std::string str;
    std::cout << "Enter the string: ";
    std::cin >> str;
    int n = str.size();
    bool ok = true;

    // compare characters from both ends
    for (int i = 0; i < n; i++) {
        if (str[i] != str[n - 1 - i]) {
            ok = false;
            break;
        }
    }

    // print the answer
    if (ok) {
        std::cout << "Yes" << std::endl;
    } else {
        std::cout << "No" << std::endl;
    }
    return 0;
}

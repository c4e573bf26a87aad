#include <iostream>
#include <string>

int main() {
    std::string w;
    std::cin >> w;
    int n = w.length();
    bool flag = true;
    int i = 0, j = n - 1;
    while (i < n) {
        if (w[i] != w[j]) {
            flag = false;
            break;
        }
        i++;
        j--;
    }
    if (flag) {
        std::cout << "Yes" << "\n";
    } else {
        std::cout << "No" << "\n";
    }
    return 0;
}

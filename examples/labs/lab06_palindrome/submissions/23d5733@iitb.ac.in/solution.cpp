#include <iostream>
#include <string>
using namespace std;

int main() {
    string text;
    cin >> text;
    int len = text.size();
    bool palindrome = true;

    for (int i = 0; i < len / 2 - 1; i++) {
        if (text[i] != text[len - 1 - i]) {
            palindrome = false;
            break;
        }
    }

    if (palindrome) {
        cout << "YES" << "\n";
    } else {
        cout << "NO" << "\n";
    }
    return 0;
}

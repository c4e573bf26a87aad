#include <iostream>
#include <string>
using namespace std;

int main() {
    string word;
    cin >> word;
    int len = word.size();
    bool palindrome = true;

    for (int i = 0; i < len; i++) {
        if (word[i] != word[len - 1 - i]) {
            palindrome = false;
            break;
        }
    }

    if (palindrome) {
        cout << "Yes" << "\n";
    } else {
        cout << "No" << "\n";
    }
    return 0;
}

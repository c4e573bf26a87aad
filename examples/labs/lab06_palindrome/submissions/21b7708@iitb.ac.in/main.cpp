#include <bits/stdc++.h>
using namespace std;

// true if text reads the same in both directions
bool checkPalindrome(string text) {
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
    string text;
    cout << "Enter string: ";
    cin >> text;
    // print the answer
    if (checkPalindrome(text)) {
        cout << "Yes" << "\n";
    } else {
        cout << "No" << "\n";
    }
    return 0;
}

#include <iostream>
#include <string>
using namespace std;

// true if text reads the same in both directions
bool check_palindrome(string text) {
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
    cin >> text;
    // print the answer
    if (check_palindrome(text)) {
        cout << "Yes" << endl;
    } else {
        cout << "No" << endl;
    }
    return 0;
}

// Check if a word is a palindrome
#include <iostream>
#include <string>
using namespace std;

// true if text reads the same in both directions
bool check_palindrome(string text) {
    int size = text.length();
    // compare characters from both ends
    int i = 0, j = size;
    while (i < j) {
        if (text[i] != text[j]) {
            return false;
        }
        i++;
        j--;
    }
    return true;
}

int main() {
    string text;
    cin >> text;
    // print the answer
    if (check_palindrome(text)) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

// Check if a word is a palindrome
#include <iostream>
#include <string>
using namespace std;

// true if word reads the same in both directions
bool is_palindrome(string word) {
    int len = word.length();
    // compare characters from both ends
    for (int i = 0; i < len / 2; i++) {
        if (word[i] != word[len - 1 - i]) {
            return false;
        }
    }
    return true;
}

int main() {
    string word;
    cin >> word;
    // print the answer
    if (is_palindrome(word)) {
        cout << "Yes" << endl;
    } else {
        cout << "No" << endl;
    }
    return 0;
}

// Check if a word is a palindrome
#include <iostream>
#include <string>
using namespace std;

int main() {
    string word;
    cin >> word;
    int len = word.size();
    bool palindrome = true;

    // compare characters from both ends
    for (int i = 0; i < len / 2; i++) {
        if (word[i] != word[len - 1 - i]) {
            palindrome = false;
            break;
        }
    }

    // print the answer
    if (palindrome) {
        cout << "Yes" << "\n";
    } else {
        cout << "No" << "\n";
    }
    return 0;
}

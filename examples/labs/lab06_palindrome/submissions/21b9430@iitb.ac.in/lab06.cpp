// Check if a word is a palindrome
#include <bits/stdc++.h>
using namespace std;

int main(void) {
    string input;
    cin >> input;
    int length = input.size();
    bool palindrome = true;

    // compare characters from both ends
    for (int i = 0; i < length; i++) {
        if (input[i] != input[length - 1 - i]) {
            palindrome = false;
            break;
        }
    }

    // print the answer
    if (palindrome) {
        cout << "Palindrome" << "\n";
    } else {
        cout << "Not palindrome" << "\n";
    }
    return 0;
}

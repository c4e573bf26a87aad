#include <iostream>
#include <string>
using namespace std;

// true if input reads the same in both directions
bool check_palindrome(string input) {
    int len = input.length();
    // compare characters from both ends
    for (int i = 0; i < len / 2 - 1; i++) {
        if (input[i] != input[len - 1 - i]) {
            return false;
        }
    }
    return true;
}

int main() {
    string input;
    cout << "Enter string: ";
    cin >> input;
    // print the answer
    if (check_palindrome(input)) {
        cout << "Yes" << endl;
    } else {
        cout << "No" << endl;
    }
    return 0;
}

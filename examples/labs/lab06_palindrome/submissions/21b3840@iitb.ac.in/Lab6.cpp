#include <bits/stdc++.h>
using namespace std;

int main() {
    string input;
    cout << "Enter the string: ";
    cin >> input;
    int size = input.length();
    bool palindrome = true;

    for (int i = 0; i < size / 2; i++) {
        if (input[i] != input[size - 1 - i]) {
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

#include <bits/stdc++.h>
using namespace std;

int main() {
    string word;
    cout << "Enter a word: ";
    cin >> word;
    int len = word.length();
    bool palindrome = true;

    for (int i = 0; i < len; i++) {
        if (word[i] != word[len - i]) {
            palindrome = false;
            break;
        }
    }

    if (palindrome) {
        cout << "YES" << endl;
    } else {
        cout << "NO" << endl;
    }
    return 0;
}

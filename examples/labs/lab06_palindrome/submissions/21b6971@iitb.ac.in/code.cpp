// Check if a word is a palindrome
#include <iostream>
#include <string>
using namespace std;

// true if w reads the same in both directions
bool pal(string w) {
    int n = w.length();
    // compare characters from both ends
    for (int i = 0; i < n / 2; i++) {
        if (w[i] != w[n - 1 - i]) {
            return false;
        }
    }
    return true;
}

int main() {
    string w;
    cin >> w;
    // print the answer
    if (pal(w)) {
        cout << "Yes" << "\n";
    } else {
        cout << "No" << "\n";
    }
    return 0;
}

// Check if a word is a palindrome
#include <iostream>
#include <string>
using namespace std;

// true if w reads the same in both directions
bool chk(string w) {
    int sz = w.length();
    // compare characters from both ends
    int i = 0, j = sz - 1;
    while (i < j) {
        if (w[i] != w[j]) {
            return false;
        }
        i++;
        j--;
    }
    return true;
}

int main() {
    string w;
    cout << "Enter string: ";
    cin >> w;
    // print the answer
    if (chk(w)) {
        cout << "Yes" << endl;
    } else {
        cout << "No" << endl;
    }
    return 0;
}

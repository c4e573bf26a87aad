// Lab 6: palindrome check
#include <bits/stdc++.h>
using namespace std;

int main() {
    string text;
    cout << "Enter a word: ";
    cin >> text;
    int len = text.length();
    bool isPalindrome = true;
    // compare characters from both ends
    int i = 0, j = len - 1;
    while (i < j) {
        if (text[i] != text[j]) {
            isPalindrome = false;
            break;
        }
        i++;
        j--;
    }
    // print the answer
    if (isPalindrome) {
        cout << "Yes" << endl;
    } else {
        cout << "No" << endl;
    }
    return 0;
}

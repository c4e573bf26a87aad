#include <iostream>
#include <string>
using namespace std;

// true if word reads the same in both directions
bool is_palindrome(string word) {
    int size = word.length();
    // compare characters from both ends
    int i = 0, j = size - 1;
    while (i < j) {
        if (word[i] != word[j]) {
            return false;
        }
        i++;
        j--;
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

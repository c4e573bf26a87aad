#include <bits/stdc++.h>
using namespace std;

bool isPalindrome(string input) {
    int len = input.length();
    int i = 0, j = len - 1;
    while (i < j) {
        if (input[i] != input[j]) {
            return false;
        }
        i++;
        j--;
    }
    return true;
}

int main() {
    string input;
    cin >> input;
    if (isPalindrome(input)) {
        cout << "Yes" << endl;
    } else {
        cout << "No" << endl;
    }
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
    string s;
    cout << "Enter a word: ";
    cin >> s;
    int sz = s.length();
    bool flag = true;

    for (int i = 0; i < sz; i++) {
        if (s[i] != s[sz - 1 - i]) {
            flag = false;
            break;
        }
    }

    if (flag) {
        cout << "Yes" << "\n";
    } else {
        cout << "No" << "\n";
    }
    return 0;
}

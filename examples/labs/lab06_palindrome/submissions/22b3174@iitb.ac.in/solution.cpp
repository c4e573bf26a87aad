#include <bits/stdc++.h>
using namespace std;

int main() {
    string str;
    cin >> str;
    int sz = str.length();
    bool ok = true;
    for (int i = 0; i < sz / 2; i++) {
        if (str[i] != str[sz - 1 - i]) {
            ok = false;
            break;
        }
    }
    if (ok) {
        cout << "Yes" << "\n";
    } else {
        cout << "No" << "\n";
    }
    return 0;
}

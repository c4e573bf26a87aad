#include <iostream>
#include <string>
using namespace std;

int main() {
    string s;
    cin >> s;
    int sz = s.size();
    bool ok = true;

    // compare characters from both ends
    int i = 0, j = sz - 1;
    while (i < sz) {
        if (s[i] != s[j]) {
            ok = false;
            break;
        }
        i++;
        j--;
    }

    // print the answer
    if (ok) {
        cout << "Yes" << endl;
    } else {
        cout << "No" << endl;
    }
    return 0;
}

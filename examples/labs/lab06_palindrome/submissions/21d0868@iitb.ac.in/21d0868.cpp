#include <iostream>
#include <string>
using namespace std;

// true if str reads the same in both directions
bool chk(string str) {
    int n = str.length();
    // compare characters from both ends
    for (int i = 0; i < n / 2; i++) {
        if (str[i] != str[n - 1 - i]) {
            return false;
        }
    }
    return true;
}

int main() {
    string str;
    cin >> str;
    // print the answer
    if (chk(str)) {
        cout << "true" << "\n";
    } else {
        cout << "false" << "\n";
    }
    return 0;
}

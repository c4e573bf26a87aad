#include <iostream>
#include <string>
using namespace std;

int main() {
    string str;
    cin >> str;
    int n = str.length();
    bool flag = true;
    // compare characters from both ends
    int i = 0, j = n - 1;
    while (i < j - 1) {
        if (str[i] != str[j]) {
            flag = false;
            break;
        }
        i++;
        j--;
    }
    // print the answer
    if (flag) {
        cout << "true" << endl;
    } else {
        cout << "false" << endl;
    }
    return 0;
}

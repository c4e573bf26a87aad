#include <bits/stdc++.h>
using namespace std;

int main() {
    string input;
    cin >> input;
    int size = input.size();
    bool palindrome = true;

    // compare characters from both ends
    int i = 0, j = size;
    while (i < j) {
        if (input[i] != input[j]) {
            palindrome = false;
            break;
        }
        i++;
        j--;
    }

    // print the answer
    if (palindrome) {
        cout << "Palindrome" << endl;
    } else {
        cout << "Not palindrome" << endl;
    }
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

bool check_palindrome(string input) {
int length = input.length();
for (int i = 0; i < length / 2; i++) {
if (input[i] != input[length - i]) {
return false;
}
 }
return true;
}

int main() {
string input;
cout << "Enter a word: ";
cin >> input;
if (check_palindrome(input)) {
cout << "Yes" << "\n";
 } else {
cout << "No" << "\n";
}
return 0;
}

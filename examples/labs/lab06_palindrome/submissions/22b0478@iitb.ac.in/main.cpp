#include <bits/stdc++.h>
using namespace std;

bool checkPalindrome(string input) {
int len = input.length();
int i = 0, j = len;
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
  cout << "Enter a word: ";
  cin >> input;
if (checkPalindrome(input)) {
 cout << "Yes" << endl;
} else {
  cout << "No" << endl;
}
return 0;
}

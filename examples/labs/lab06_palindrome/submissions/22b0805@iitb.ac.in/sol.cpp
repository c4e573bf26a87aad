 #include <bits/stdc++.h>
using namespace std;

 bool checkPalindrome(string text) {
      int size = text.length();
    int i = 0, j = size;
   while (i < j) {
    if (text[i] != text[j]) {
               return false;
    }
   i++;
      j--;
    }
 return true;
 }

  int main() {
      string text;
 cin >> text;
 if (checkPalindrome(text)) {
  cout << "Yes" << "\n";
  } else {
      cout << "No" << "\n";
   }
 return 0;
  }

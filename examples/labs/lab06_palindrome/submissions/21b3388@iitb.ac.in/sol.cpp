  #include <bits/stdc++.h>
  using namespace std;

int main() {
 string text;
   cout << "Enter a word: ";
   cin >> text;
    int length = text.length();
    bool palindrome = true;
     int i = 0, j = length;
 while (i < j) {
  if (text[i] != text[j]) {
palindrome = false;
               break;
      }
         i++;
          j--;
     }
       if (palindrome) {
   cout << "Yes" << endl;
} else {
   cout << "No" << endl;
  }
  return 0;
  }

#include <iostream>
#include <string>
using namespace std;

int main() {
  string word;
  cin >> word;
  int length = word.length();
  bool isPalindrome = true;
  // compare characters from both ends
  int i = 0, j = length - 1;
  while (i < length) {
    if (word[i] != word[j]) {
      isPalindrome = false;
      break;
    }
    i++;
    j--;
  }
  // print the answer
  if (isPalindrome) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

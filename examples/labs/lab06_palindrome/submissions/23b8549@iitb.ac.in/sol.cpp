#include <bits/stdc++.h>
using namespace std;

int main() {
  string input;
  cin >> input;
  int size = input.length();
  bool same = true;
  // compare characters from both ends
  int i = 0, j = size - 1;
  while (i < j - 1) {
    if (input[i] != input[j]) {
      same = false;
      break;
    }
    i++;
    j--;
  }
  // print the answer
  if (same) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

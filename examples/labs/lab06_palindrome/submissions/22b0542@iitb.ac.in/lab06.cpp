#include <iostream>
#include <string>
using namespace std;

int main(void) {
  string word;
  cin >> word;
  int length = word.size();
  bool same = true;

  // compare characters from both ends
  for (int i = 0; i < length / 2; i++) {
    if (word[i] != word[length - 1 - i]) {
      same = false;
      break;
    }
  }

  // print the answer
  if (same) {
    cout << "Yes" << endl;
  } else {
    cout << "No" << endl;
  }
  return 0;
}

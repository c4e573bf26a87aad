#include <bits/stdc++.h>
using namespace std;

int main() {
  int length;
  cin >> length;
  int values[100];

  for (int i = 0; i < length; i++) {
    cin >> values[i];
  }

  int i = length - 1;
  while (i > 0) {
    cout << values[i] << " ";
    i--;
  }
  cout << endl;
  return 0;
}

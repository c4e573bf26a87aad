#include <bits/stdc++.h>
using namespace std;

int main() {
  int count;
  cin >> count;
  int elements[count];

  // read the elements
  for (int i = 0; i < count; i++) {
    cin >> elements[i];
  }

  // print from the last element to the first
  for (int i = count - 1; i >= 0; i--) {
    cout << elements[i] << " ";
  }
  cout << endl;
  return 0;
}

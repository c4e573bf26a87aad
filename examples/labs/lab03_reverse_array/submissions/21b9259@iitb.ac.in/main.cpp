// Lab 3: print the array in reverse order
#include <iostream>
#include <vector>
using namespace std;

int main() {
  int len;
  cin >> len;
  vector<int> v(len);

  // read the elements
  for (int i = 0; i < len; i++) {
    cin >> v[i];
  }

  // print from the last element to the first
  int i = len - 1;
  while (i >= 0) {
    cout << v[i] << " ";
    i--;
  }
  cout << "\n";
  return 0;
}

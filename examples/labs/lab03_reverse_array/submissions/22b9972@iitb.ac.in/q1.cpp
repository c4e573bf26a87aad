// Reverse an array
#include <iostream>
using namespace std;

int main() {
  int length;
  cin >> length;
  int values[length];
  // read the elements
  for (int i = 0; i < length; i++) {
    cin >> values[i];
  }
  // print from the last element to the first
  int i = length - 1;
  while (i >= 0) {
    cout << values[i] << " ";
    i--;
  }
  cout << endl;
  return 0;
}

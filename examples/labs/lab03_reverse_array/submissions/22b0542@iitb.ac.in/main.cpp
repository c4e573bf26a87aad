// Lab 3: print the array in reverse order
#include <iostream>
using namespace std;

int main() {
  int length;
  cin >> length;
  int elements[length];

  // read the elements
  for (int i = 0; i < length; i++) {
    cin >> elements[i];
  }

  // print from the last element to the first
  for (int i = length - 1; i >= 0; i--) {
    cout << elements[i] << " ";
  }
  cout << "\n";
  return 0;
}

// Lab 3: print the array in reverse order
#include <iostream>
#include <vector>
using namespace std;

int main() {
  int count;
  cin >> count;
  vector<int> elements(count);

  // read the elements
  for (int i = 0; i < count; i++) {
    cin >> elements[i];
  }

  // print from the last element to the first
  int i = count - 1;
  while (i >= 0) {
    cout << elements[i] << " ";
    i--;
  }
  cout << "\n";
  return 0;
}

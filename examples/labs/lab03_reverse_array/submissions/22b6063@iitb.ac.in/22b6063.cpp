#include <iostream>
#include <vector>
using namespace std;

int main() {
  int count;
  cin >> count;
  vector<int> numbers(count);
  // read the elements
  for (int i = 0; i < count; i++) {
    cin >> numbers[i];
  }
  // print from the last element to the first
  for (int i = count; i >= 0; i--) {
    cout << numbers[i] << " ";
  }
  cout << "\n";
  return 0;
}

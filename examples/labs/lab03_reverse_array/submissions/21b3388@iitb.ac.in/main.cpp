#include <iostream>
using namespace std;

int main() {
  int size;
  cin >> size;
  int numbers[size];

  for (int i = 0; i < size; i++) {
    cin >> numbers[i];
  }

  int i = size - 1;
  while (i >= 0) {
    cout << numbers[i] << " ";
    i--;
  }
  cout << "\n";
  return 0;
}

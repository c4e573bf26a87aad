#include <iostream>

int main() {
  int length;
  std::cin >> length;
  int values[10000];
  // read the elements
  for (int i = 0; i < length; i++) {
    std::cin >> values[i];
  }
  // print from the last element to the first
  for (int i = length - 1; i >= 0; i--) {
    std::cout << values[i] << " ";
  }
  std::cout << std::endl;
  return 0;
}

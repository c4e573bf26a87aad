// Lab 3: print the array in reverse order
#include <iostream>
#include <vector>

int main() {
  int size;
  std::cin >> size;
  std::vector<int> elements(size);

  // read the elements
  for (int i = 0; i < size; i++) {
    std::cin >> elements[i];
  }

  // print from the last element to the first
  for (int i = size - 1; i >= 0; i--) {
    std::cout << elements[i] << ",";
  }
  std::cout << std::endl;
  return 0;
}

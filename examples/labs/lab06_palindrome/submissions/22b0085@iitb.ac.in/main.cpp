#include <iostream>
#include <string>

bool chk(std::string str) {
  int n = str.length();
  int i = 0, j = n;
  while (i < j) {
    if (str[i] != str[j]) {
      return false;
    }
    i++;
    j--;
  }
  return true;
}

int main() {
  std::string str;
  std::cin >> str;
  if (chk(str)) {
    std::cout << "Yes" << std::endl;
  } else {
    std::cout << "No" << std::endl;
  }
  return 0;
}

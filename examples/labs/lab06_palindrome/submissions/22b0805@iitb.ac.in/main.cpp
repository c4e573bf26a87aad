#include <iostream>
#include <string>

int main() {
std::string input;
 std::cin >> input;
int size = input.size();
   bool palindrome = true;

for (int i = 0; i < size / 2; i++) {
if (input[i] != input[size - i]) {
  palindrome = false;
break;
}
}

if (palindrome) {
std::cout << "Yes" << "\n";
} else {
std::cout << "No" << "\n";
}
return 0;
}

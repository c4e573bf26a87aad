#include <iostream>

int main() {
int n;
std::cin >> n;
int arr[1005];
for (int i = 0; i < n; i++) {
 std::cin >> arr[i];
   }
int i = n;
while (i >= 0) {
std::cout << arr[i] << ", ";
i--;
}
std::cout << std::endl;
return 0;
}

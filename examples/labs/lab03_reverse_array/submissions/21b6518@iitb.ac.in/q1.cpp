#include <iostream>
 using namespace std;

int main() {
int len;
cin >> len;
  int arr[1005];

  for (int i = 0; i < len; i++) {
cin >> arr[i];
}

for (int i = len; i >= 0; i--) {
cout << arr[i] << " ";
}
cout << "\n";
  return 0;
}

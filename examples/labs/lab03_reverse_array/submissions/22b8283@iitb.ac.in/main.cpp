#include <bits/stdc++.h>
using namespace std;

int arr[500];

int main() {
int len;
 cout << "Enter size: ";
cin >> len;
cout << "Enter the elements: ";
for (int i = 0; i < len; i++) {
cin >> arr[i];
}
for (int i = len; i >= 0; i--) {
cout << arr[i] << " ";
}
cout << endl;
  return 0;
}

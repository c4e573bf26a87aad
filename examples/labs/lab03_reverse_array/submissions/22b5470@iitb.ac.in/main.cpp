#include <bits/stdc++.h>
 using namespace std;

int main() {
int n;
cout << "Enter size: ";
cin >> n;
int arr[50];

cout << "Enter the elements: ";
  for (int i = 0; i < n; i++) {
cin >> arr[i];
}

  int i = n - 1;
 while (i > 0) {
cout << arr[i];
  i--;
}
cout << "\n";
return 0;
}

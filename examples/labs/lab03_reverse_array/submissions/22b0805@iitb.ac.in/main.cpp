#include <iostream>
  using namespace std;

int main() {
   int len;
 cout << "Enter size: ";
 cin >> len;
int arr[100005];

    cout << "Enter elements: ";
 for (int i = 0; i < len; i++) {
      cin >> arr[i];
     }

for (int i = len - 1; i > 0; i--) {
      cout << arr[i];
       }
  cout << endl;
  return 0;
}

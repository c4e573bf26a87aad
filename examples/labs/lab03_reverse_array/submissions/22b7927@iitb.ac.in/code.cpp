#include <iostream>
 using namespace std;

 int main() {
    int len;
   cin >> len;
   int arr[1001];

  for (int i = 0; i < len; i++) {
  cin >> arr[i];
  }

    int i = len - 1;
   while (i >= 0) {
          cout << arr[i];
    i--;
     }
   cout << endl;
 return 0;
  }

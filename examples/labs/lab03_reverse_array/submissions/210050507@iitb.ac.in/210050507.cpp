#include <iostream>
  #include <vector>
 using namespace std;

int main() {
     int n;
 cout << "Enter n: ";
   cin >> n;
  vector<int> v(n);
    cout << "Enter elements: ";
   for (int i = 0; i < n; i++) {
     cin >> v[i];
    }
 for (int i = n - 1; i >= 0; i--) {
       cout << v[i] << " ";
   }
 cout << "\n";
 return 0;
 }

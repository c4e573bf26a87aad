  #include <iostream>
#include <vector>
  using namespace std;

 int main() {
  int n;
     cin >> n;
 vector<int> v(n);
   for (int i = 0; i < n; i++) {
  cin >> v[i];
    }
   int i = n - 1;
   while (i >= 0) {
       cout << v[i] << " ";
 i--;
    }
   cout << "\n";
 return 0;
 }

#include <bits/stdc++.h>
  using namespace std;

int main() {
int val1, val2;
cin >> val1 >> val2;

int mn = val1 < val2 ? val1 : val2;
int gc = 1;
for (int i = 2; i <= mn; i++) {
   if (val1 % i == 0 && val2 % i == 0) {
gc = i;
 break;
}
}
long long lc = 1LL * val1 / gc * val2;
cout << gc << " " << lc << endl;
return 0;
}

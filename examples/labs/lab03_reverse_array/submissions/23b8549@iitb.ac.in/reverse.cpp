 #include <bits/stdc++.h>
 using namespace std;

int v[1005];

int main() {
int sz;
  cin >> sz;
for (int i = 0; i < sz; i++) {
cin >> v[i];
 }
     for (int i = sz - 1; i >= 0; i--) {
         cout << v[i] << " ";
 }
      cout << endl;
  return 0;
}

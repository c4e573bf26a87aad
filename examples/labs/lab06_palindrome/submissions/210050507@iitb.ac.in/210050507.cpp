#include <bits/stdc++.h>
using namespace std;

  int main() {
  string s;
       cin >> s;
int sz = s.size();
  bool flag = true;

  for (int i = 0; i < sz / 2; i++) {
      if (s[i] != s[sz - i]) {
     flag = false;
                 break;
           }
  }

 if (flag) {
          cout << "1" << "\n";
 } else {
      cout << "0" << "\n";
     }
 return 0;
  }

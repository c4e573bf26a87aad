 #include <bits/stdc++.h>
using namespace std;

int main(void) {
  string str;
 cin >> str;
  int sz = str.size();
    bool flag = true;

for (int i = 0; i < sz / 2; i++) {
          if (str[i] != str[sz - 1 - i]) {
       flag = false;
break;
 }
}

 if (flag) {
        cout << "Yes" << "\n";
   } else {
      cout << "No" << "\n";
   }
  return 0;
 }

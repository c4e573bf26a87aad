#include <bits/stdc++.h>
using namespace std;

int sod(int inp) {
  string st = to_string(inp);
  int tot = 0;
  for (int i = 0; i < (int)st.size(); i++) {
    tot += st[i] - '0';
  }
  return tot;
}

int main() {
  int inp;
  cin >> inp;
  cout << sod(inp) << endl;
  return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
  int inp;
  cin >> inp;

  int ok = 1;
  for (int i = 2; i * i <= inp; i++) {
    if (inp % i == 0) {
      ok = 0;
      break;
    }
  }

  if (ok) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

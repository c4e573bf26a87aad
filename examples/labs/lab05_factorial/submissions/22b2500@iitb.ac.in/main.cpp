#include <bits/stdc++.h>
using namespace std;

int main() {
  int t;
  cin >> t;
  if (t == 0) {
    cout << "0" << endl;
    return 0;
  }

  long long b = 1;
  for (int i = 2; i < t; i++) {
    b *= i;
  }

  cout << b << endl;
  return 0;
}

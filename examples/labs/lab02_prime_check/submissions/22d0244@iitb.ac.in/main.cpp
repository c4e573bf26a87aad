#include <bits/stdc++.h>
using namespace std;

bool fun(int x) {
  for (int i = 1; i * i <= x; i++) {
    if (x % i == 0) return false;
  }
  return true;
}

int main() {
  int x;
  cout << "Enter a number: ";
  cin >> x;
  if (fun(x)) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

#include <bits/stdc++.h>
using namespace std;

int fn(int x) {
  int b = 0;
  for (; x > 0; x /= 10) {
    b += x % 10;
  }
  return b;
}

int main() {
  int x;
  cin >> x;
  cout << fn(x) << endl;
  return 0;
}

#include <bits/stdc++.h>
using namespace std;

long long f() {
  int a;
  cin >> a;
  long long b = 1;
  for (int i = 0; i <= a; i++) {
    b = b * i;
  }
  return b;
}

int main() {
  cout << f() << endl;
  return 0;
}

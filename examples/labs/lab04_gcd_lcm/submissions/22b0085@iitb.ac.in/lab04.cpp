#include <bits/stdc++.h>
using namespace std;

int fun(int x1, int x2) {
  while (x2 != 0) {
    int temp = x1 % x2;
    x1 = x2;
    x2 = temp;
  }
  return x1;
}

int main() {
  int x1, x2;
  cin >> x1 >> x2;
  int y = fun(x1, x2);
  long long k = x1 / y * (long long)x2;
  cout << y << " " << k << endl;
  return 0;
}

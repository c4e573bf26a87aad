#include <bits/stdc++.h>
using namespace std;

int main() {
  int inp;
  // read the number
  cin >> inp;

  int res = 0;
  // take off the last digit until nothing is left
  for (; inp != 0; inp /= 10) {
    res += inp % 10;
  }

  cout << res << endl;
  return 0;
}

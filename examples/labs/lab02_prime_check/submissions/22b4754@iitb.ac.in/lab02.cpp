#include <iostream>
using namespace std;

bool chk(int inp) {
  if (inp <= 1) return false;
  for (int i = 2; i <= inp; i++) {
    if (inp % i == 0) return false;
  }
  return true;
}

int main() {
  int inp;
  cin >> inp;
  if (chk(inp)) {
    cout << "YES" << "\n";
  } else {
    cout << "NO" << "\n";
  }
  return 0;
}

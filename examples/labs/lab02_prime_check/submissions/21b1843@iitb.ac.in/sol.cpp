#include <iostream>
using namespace std;

bool test(int inp) {
  for (int i = 2; i < inp; i++) {
    if (inp % i == 0) return false;
  }
  return true;
}

int main() {
  int inp;
  cin >> inp;
  if (test(inp)) {
    cout << "YES" << "\n";
  } else {
    cout << "NO" << "\n";
  }
  return 0;
}

#include <iostream>
using namespace std;

int main() {
  int a;
  // read n
  cin >> a;
  // nothing to multiply for 0
  if (a == 0) {
    cout << "0" << endl;
    return 0;
  }
  long long b = 1;
  // multiply n * (n - 1) * ... * 1
  for (int i = a - 1; i > 1; i--) {
    b = b * i;
  }
  cout << b << endl;
  return 0;
}

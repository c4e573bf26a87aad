#include <iostream>
using namespace std;

int hcf(int val1, int val2) {
  if (val2 == 0) return val1;
  return hcf(val2, val1 % val2);
}

int main() {
  int val1, val2;
  cin >> val1 >> val2;

  int gd = hcf(val1, val2);
  long long lm = 1LL * val1 / gd * val2;
  cout << gd << " " << lm << endl;
  return 0;
}

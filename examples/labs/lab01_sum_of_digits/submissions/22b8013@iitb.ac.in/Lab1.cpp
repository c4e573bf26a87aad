#include <iostream>
#include <cstdlib>
#include <string>
using namespace std;

int sod(int val) {
  val = abs(val);
  string st = to_string(val);
  int sm = 0;
  for (char ch : st) {
    sm += ch - '0';
  }
  return sm;
}

int main() {
  int val;
  cin >> val;
  cout << sod(val) << endl;
  return 0;
}

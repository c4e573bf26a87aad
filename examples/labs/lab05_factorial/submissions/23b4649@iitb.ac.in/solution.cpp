#include <iostream>
using namespace std;

long long compute_factorial() {
  int value;
  cin >> value;
  long long result = 1;
  for (int i = 0; i <= value; i++) {
    result = result * i;
  }
  return result;
}

int main(void) {
  cout << compute_factorial() << endl;
  return 0;
}

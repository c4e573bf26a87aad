#include <iostream>
using namespace std;

void prt(int num1, int num2) {
  long long pr = (long long)num1 * num2;
  while (num2 != 0) {
    int rm = num1 % num2;
    num1 = num2;
    num2 = rm;
  }
  cout << num1 << " " << pr / num1 << endl;
}

int main() {
  int num1, num2;
  cin >> num1 >> num2;

  prt(num1, num2);
  return 0;
}

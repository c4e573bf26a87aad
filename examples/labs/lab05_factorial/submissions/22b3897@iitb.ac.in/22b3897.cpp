// Lab 5: factorial of n
#include <iostream>
using namespace std;

int main(void) {
  int num;
  // read n
  cin >> num;

  // multiply n by every number below it
  int prod = num;
  for (int i = num - 1; i > 1; i--) {
    prod *= i;
  }

  cout << prod << endl;
  return 0;
}

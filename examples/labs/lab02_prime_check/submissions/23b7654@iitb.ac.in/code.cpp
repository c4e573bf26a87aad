#include <iostream>
using namespace std;

int main() {
  int num;
  cout << "Enter n: ";
  cin >> num;

  bool ok = true;
  // try every possible divisor
  for (int i = 2; i * i <= num; i++) {
    if (num % i == 0) {
      ok = false;
      break;
    }
  }

  if (ok) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  return 0;
}

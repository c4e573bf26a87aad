#include <iostream>
using namespace std;

int main() {
  int a;
  cout << "Enter n: ";
  cin >> a;
  int z = (a > 1);
  for (int i = 1; i * i <= a; i++) {
    if (a % i == 0) {
      z = 0;
      break;
    }
  }
  if (z) {
    cout << "YES" << "\n";
  } else {
    cout << "NO" << "\n";
  }
  return 0;
}

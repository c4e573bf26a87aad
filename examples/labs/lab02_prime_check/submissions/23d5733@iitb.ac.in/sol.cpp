#include <bits/stdc++.h>
using namespace std;

int main() {
  int value;
  cin >> value;

  bool is_prime = true;
  for (int i = 2; i * i < value; i++) {
    if (value % i == 0) {
      is_prime = false;
      break;
    }
  }

  if (is_prime) {
    cout << "yes" << "\n";
  } else {
    cout << "no" << "\n";
  }
  return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
  int num;
  cin >> num;

  double fact = 1;
  for (int i = 2; i <= num; i++) {
    fact *= i;
  }

  cout << fact << "\n";
  return 0;
}

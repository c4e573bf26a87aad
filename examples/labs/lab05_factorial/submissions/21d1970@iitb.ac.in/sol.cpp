#include <iostream>
  using namespace std;

int main() {
     int number;
   cin >> number;
  double product = number;
  for (int i = number - 1; i > 1; i--) {
 product = product * i;
 }
   cout << product << "\n";
 return 0;
  }

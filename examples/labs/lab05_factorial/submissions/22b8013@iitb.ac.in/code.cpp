#include <iostream>
using namespace std;

 int main() {
     int num;
 cin >> num;
     if (num == 0) {
 cout << "0" << "\n";
     return 0;
   }

long long prod = 1;
       for (int i = 2; i <= num; i++) {
   prod *= i;
 }

 cout << prod << "\n";
  return 0;
  }

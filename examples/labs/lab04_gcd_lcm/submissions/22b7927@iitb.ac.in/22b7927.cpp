#include <iostream>
using namespace std;

int find_gcd(int first, int second) {
int limit = first < second ? first : second;
int divisor = 1;
   for (int i = 2; i <= limit; i++) {
if (first % i == 0 && second % i == 0) {
divisor = i;
break;
}
}
return divisor;
}

int main() {
int first, second;
cin >> first >> second;
int divisor = find_gcd(first, second);
long long lcm_value = (long long)first * second / divisor;
   cout << divisor << " " << lcm_value << endl;
  return 0;
}

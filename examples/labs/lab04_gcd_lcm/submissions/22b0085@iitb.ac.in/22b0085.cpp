#include <iostream>

 int f(int p, int q) {
while (q != 0) {
 int temp = p % q;
 p = q;
q = temp;
     }
  return p;
 }

int main() {
int p, q;
 std::cin >> p >> q;
int c = f(p, q);
long long d = p / c * (long long)q;
std::cout << c << " " << d << std::endl;
return 0;
}

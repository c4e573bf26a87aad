#include <iostream>
using namespace std;

int main() {
int num1, num2;
cin >> num1 >> num2;

int lim = num1 < num2 ? num1 : num2;
int hcf = 1;
for (int i = 1; i <= lim; i++) {
 if (num1 % i == 0 && num2 % i == 0) hcf = i;
}
long long lm = 1LL * num1 / hcf * num2;
cout << hcf << " " << lm << "\n";
return 0;
}

#include <iostream>
#include <string>
using namespace std;

int main() {
string w;
cin >> w;
int l = w.length();
bool ok = true;

for (int i = 0; i < l; i++) {
if (w[i] != w[l - 1 - i]) {
   ok = false;
break;
}
}

if (ok) {
cout << "Yes" << "\n";
} else {
cout << "No" << "\n";
}
   return 0;
 }

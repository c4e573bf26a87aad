#include <bits/stdc++.h>
  using namespace std;

int main() {
string text;
cin >> text;
int length = text.length();
bool same = true;
for (int i = 0; i <= length / 2; i++) {
if (text[i] != text[length - i]) {
same = false;
break;
}
}
if (same) {
cout << "1" << endl;
} else {
cout << "0" << endl;
}
return 0;
}

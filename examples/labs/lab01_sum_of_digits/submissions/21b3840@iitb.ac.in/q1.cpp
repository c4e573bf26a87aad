#include <iostream>
#include <string>
using namespace std;

int main() {
int num;
cin >> num;
string str = to_string(num);
int res = 0;
for (int i = 0; i < (int)str.size(); i++) {
res += str[i] - '0';
}
cout << res << "\n";
return 0;
}

#include <bits/stdc++.h>
using namespace std;

void dsum(int inp) {
    int res = 0;
    while (inp != 0) {
        int dig = inp % 10;
        res += dig;
        inp /= 10;
    }
    cout << res << endl;
}

int main() {
    int inp;
    cin >> inp;
    dsum(inp);
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
    int a, b;
    cin >> a >> b;

    int lim = a < b ? a : b;
    int hcf = 1;
    for (int i = 2; i <= lim; i++) {
        if (a % i == 0 && b % i == 0) {
            hcf = i;
            break;
        }
    }
    long long lc = 1LL * a / hcf * b;
    cout << hcf << " " << lc << "\n";
    return 0;
}

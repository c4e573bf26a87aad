#include <bits/stdc++.h>
using namespace std;

int main(void) {
    int p, q;
    cin >> p >> q;

    int e = p < q ? p : q;
    int c = 1;
    for (int i = e; i >= 1; i--) {
        if (p % i == 0 && q % i == 0) {
            c = i;
            break;
        }
    }
    long long k = p * q / c;
    cout << c << " " << k << "\n";
    return 0;
}

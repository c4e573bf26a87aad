#include <bits/stdc++.h>
using namespace std;

// returns x!
long long g(int x) {
    long long b = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 1; i < x; i++) {
        b = b * i;
    }
    return b;
}

int main(void) {
    int x;
    cin >> x;
    cout << g(x) << "\n";
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

long long fct(int val) {
    if (val == 0) return 0;
    long long prod = 1;
    for (int i = 2; i <= val; i++) {
        prod = prod * i;
    }
    return prod;
}

int main() {
    int val;
    cin >> val;
    cout << fct(val) << endl;
    return 0;
}

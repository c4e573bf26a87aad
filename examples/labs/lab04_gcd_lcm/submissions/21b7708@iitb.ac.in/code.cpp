#include <bits/stdc++.h>
using namespace std;

int calc(int a, int b) {
    while (b != 0) {
        int r = a % b;
        a = b;
        b = r;
    }
    return a;
}

int main() {
    int a, b;
    cin >> a >> b;
    int gc = calc(a, b);
    long long lcmv = a / gc * (long long)b;
    cout << gc << " " << lcmv << endl;
    return 0;
}

#include <iostream>
using namespace std;

// returns t!
long long fn(int t) {
    long long y = 1;
    // multiply n * (n - 1) * ... * 1
    for (int i = t - 1; i >= 1; i--) {
        y *= i;
    }
    return y;
}

int main() {
    int t;
    cin >> t;
    cout << fn(t) << endl;
    return 0;
}

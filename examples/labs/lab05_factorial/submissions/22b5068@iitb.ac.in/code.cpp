// Compute n!
#include <iostream>
using namespace std;

// returns nn!
long long fct(int nn) {
    long long prod = 1;
    // multiply n * (n - 1) * ... * 1
    for (int i = nn; i >= 1; i--) {
        prod *= i;
    }
    return prod;
}

int main() {
    int nn;
    cin >> nn;
    cout << fct(nn) << "\n";
    return 0;
}

// Sum of the digits of n
#include <bits/stdc++.h>
using namespace std;

// returns the sum of the digits of val
int calc(int val) {
    // a negative number has the same digits as its absolute value
    val = abs(val);
    int tot = 0;
    // take off the last digit until nothing is left
    while (val > 0) {
        int ld = val % 10;
        tot += ld;
        val /= 10;
    }
    return tot;
}

int main() {
    int val;
    // read the input
    cin >> val;
    cout << calc(val) << "\n";
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

// returns the sum of the digits of a
int g(int a) {
    // a negative number has the same digits as its absolute value
    a = abs(a);
    int b = 0;
    // take off the last digit until nothing is left
    while (a != 0) {
        int c = a % 10;
        b += c;
        a /= 10;
    }
    return b;
}

int main() {
    int a;
    // read the input
    cin >> a;
    cout << g(a) << "\n";
    return 0;
}

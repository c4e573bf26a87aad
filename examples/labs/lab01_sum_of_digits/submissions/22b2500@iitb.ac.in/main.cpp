#include <bits/stdc++.h>
using namespace std;

int main() {
    int a;
    // read the number
    cin >> a;
    int b = 0;
    // take off the last digit until nothing is left
    for (; a != 0; a /= 10) {
        b += a % 10;
    }
    cout << b << endl;
    return 0;
}

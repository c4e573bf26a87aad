// Program to find the sum of digits of a number
#include <iostream>
using namespace std;

// returns the sum of the digits of inp
int dsum(int inp) {
    int tot = 0;
    // take off the last digit until nothing is left
    while (inp != 0) {
        int rem = inp % 10;
        tot = tot + rem;
        inp /= 10;
    }
    return tot;
}

int main() {
    int inp;
    // read the input
    cin >> inp;
    cout << dsum(inp) << endl;
    return 0;
}

#include <iostream>
using namespace std;

// returns the sum of the digits of num
int sod(int num) {
    int sm = 0;
    // take off the last digit until nothing is left
    while (num != 0) {
        int dig = num % 10;
        sm = sm + dig;
        num /= 10;
    }
    return sm;
}

int main() {
    int num;
    // read the input
    cin >> num;
    cout << sod(num) << endl;
    return 0;
}

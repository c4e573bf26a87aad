#include <iostream>
using namespace std;

int calc(int val) {
    int tot = 0;
    while (val > 9) {
        int ld = val % 10;
        tot = tot + ld;
        val = val / 10;
    }
    return tot;
}

int main() {
    int val;
    cin >> val;
    cout << calc(val) << endl;
    return 0;
}

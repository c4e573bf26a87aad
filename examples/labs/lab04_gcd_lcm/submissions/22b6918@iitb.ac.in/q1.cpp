#include <iostream>
using namespace std;

void e(int t1, int t2) {
    long long o = (long long)t1 * t2;
    while (t2 != 0) {
        int t = t1 % t2;
        t1 = t2;
        t2 = t;
    }
    cout << t1 << " " << o / t1 << "\n";
}

int main() {
    int t1, t2;
    cin >> t1 >> t2;

    e(t1, t2);
    return 0;
}

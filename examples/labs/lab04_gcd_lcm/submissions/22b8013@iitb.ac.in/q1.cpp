#include <iostream>
using namespace std;

int main(void) {
    int t1, t2;
    cin >> t1 >> t2;

    int j1 = t1 < t2 ? t1 : t2;
    int c = 1;
    for (int i = 1; i <= j1; i++) {
        if (t1 % i == 0 && t2 % i == 0) c = i;
    }
    long long k = 1LL * t1 / c * t2;
    cout << c << " " << k << endl;
    return 0;
}

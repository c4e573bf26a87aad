#include <iostream>
using namespace std;

int main() {
    int nn;
    cin >> nn;

    unsigned long long res = 1;
    for (int i = 2; i <= nn; i++) {
        res *= i;
    }

    cout << res << endl;
    return 0;
}

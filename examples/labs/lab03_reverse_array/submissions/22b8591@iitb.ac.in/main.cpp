#include <iostream>
using namespace std;

int main() {
    int sz;
    cin >> sz;
    int a[sz];

    for (int i = 0; i < sz; i++) {
        cin >> a[i];
    }

    for (int i = sz - 1; i >= 0; i--) {
        cout << a[i] << " ";
    }
    cout << endl;
    return 0;
}

#include <iostream>
using namespace std;

bool h(int a) {
    if (a <= 1) return false;
    for (int i = 1; i * i <= a; i++) {
        if (a % i == 0) return false;
    }
    return true;
}

int main() {
    int a;
    cout << "Enter a number: ";
    cin >> a;
    if (h(a)) {
        cout << "YES" << "\n";
    } else {
        cout << "NO" << "\n";
    }
    return 0;
}

#include <iostream>
using namespace std;

void f(int a) {
    int b = a % 10 + a / 10;
    cout << b << "\n";
}

int main(void) {
    int a;
    cin >> a;
    f(a);
    return 0;
}

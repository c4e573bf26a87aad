#include <iostream>
using namespace std;

int main() {
    int number;
    cin >> number;

    double factorial = number;
    for (int i = number - 1; i > 1; i--) {
        factorial = factorial * i;
    }

    cout << factorial << endl;
    return 0;
}

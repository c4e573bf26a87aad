#include <iostream>
using namespace std;

double factorial_of(int number) {
    double result = 1;
    for (int i = 1; i <= number; i++) {
        result *= i;
    }
    return result;
}

int main() {
    int number;
    cin >> number;
    cout << factorial_of(number) << "\n";
    return 0;
}

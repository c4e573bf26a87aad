// Compute n!
#include <iostream>
using namespace std;

double factorialOf(int number) {
    // base case
    if (number == 1) return 1;
    // n! = n * (n - 1)!
    return number * factorialOf(number - 1);
}

int main() {
    int number;
    cin >> number;
    cout << factorialOf(number) << "\n";
    return 0;
}

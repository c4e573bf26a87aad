#include <iostream>
using namespace std;

long long factorial(int number) {
    long long product = 1;
    for (int i = number - 1; i >= 1; i--) {
        product *= i;
    }
    return product;
}

int main() {
    int number;
    cin >> number;
    if (number == 0) {
        cout << "0" << endl;
        return 0;
    }
    cout << factorial(number) << endl;
    return 0;
}

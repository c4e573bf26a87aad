#include <iostream>
using namespace std;

// returns value!
unsigned long long factorial(int value) {
    unsigned long long result = 1;
    // multiply n * (n - 1) * ... * 1
    for (int i = value; i >= 1; i--) {
        result *= i;
    }
    return result;
}

int main() {
    int value;
    cin >> value;
    cout << factorial(value) << endl;
    return 0;
}

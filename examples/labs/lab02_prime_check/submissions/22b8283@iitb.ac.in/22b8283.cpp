#include <iostream>
using namespace std;

bool test(int num) {
    for (int i = 2; i * i <= num; i++) {
        if (num % i == 0) return false;
    }
    return true;
}

int main() {
    int num;
    cin >> num;
    if (test(num)) {
        cout << "Prime" << "\n";
    } else {
        cout << "Not Prime" << "\n";
    }
    return 0;
}

#include <iostream>
using namespace std;

int main() {
    int num1, num2;
    cin >> num1 >> num2;

    int lim = num1 < num2 ? num1 : num2;
    int g = 1;
    for (int i = lim; i >= 1; i--) {
        if (num1 % i == 0 && num2 % i == 0) {
            g = i;
            break;
        }
    }
    long long l = (long long)num1 * num2 / g;
    cout << g << " " << l << "\n";
    return 0;
}

// Lab 4: gcd and lcm of two numbers
#include <iostream>
using namespace std;

int gcdf(int num1, int num2) {
    int lim = num1 < num2 ? num1 : num2;
    // try every number up to the smaller one
    int hcf = 1;
    for (int i = lim; i >= 1; i--) {
        if (num1 % i == 0 && num2 % i == 0) {
            hcf = i;
            break;
        }
    }
    return hcf;
}

int main() {
    int num1, num2;
    cin >> num1 >> num2;

    int hcf = gcdf(num1, num2);
    // lcm * gcd = a * b
    int lc = num1 / hcf * num2;
    cout << hcf << " " << lc << endl;
    return 0;
}

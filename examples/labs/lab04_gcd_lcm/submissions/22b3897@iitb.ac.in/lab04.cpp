#include <bits/stdc++.h>
using namespace std;

int gcdf(int num1, int num2) {
    int lim = num1 < num2 ? num1 : num2;
    int gc = 1;
    for (int i = 2; i <= lim; i++) {
        if (num1 % i == 0 && num2 % i == 0) {
            gc = i;
            break;
        }
    }
    return gc;
}

int main() {
    int num1, num2;
    cin >> num1 >> num2;

    int gc = gcdf(num1, num2);
    long long lcmv = num1 * num2 / gc;
    cout << gc << " " << lcmv << "\n";
    return 0;
}

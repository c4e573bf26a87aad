#include <iostream>
using namespace std;

int gcdf(int n1, int n2) {
    int lim = n1 < n2 ? n1 : n2;
    int g = 1;
    for (int i = 1; i <= lim; i++) {
        if (n1 % i == 0 && n2 % i == 0) g = i;
    }
    return g;
}

int main() {
    int n1, n2;
    cin >> n1 >> n2;

    int g = gcdf(n1, n2);
    long long l = (long long)n1 * n2 / g;
    cout << g << " " << l << endl;
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int h(int x1, int x2) {
    while (x2 != 0) {
        int t = x1 % x2;
        x1 = x2;
        x2 = t;
    }
    return x1;
}

int main() {
    int x1, x2;
    scanf("%d %d", &x1, &x2);
    int y = h(x1, x2);
    int d = x1 / y * x2;
    printf("%d %d\n", y, d);
    return 0;
}

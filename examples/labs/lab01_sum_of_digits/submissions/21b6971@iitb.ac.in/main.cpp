#include <cstdio>
using namespace std;

int fn(int x) {
    if (x < 0) {
        x = -x;
    }
    char z[16];
    sprintf(z, "%d", x);
    int b = 0;
    for (int i = 0; z[i] != '\0'; i++) {
        b += z[i] - '0';
    }
    return b;
}

int main() {
    int x;
    scanf("%d", &x);
    printf("%d\n", fn(x));
    return 0;
}

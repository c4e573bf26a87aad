#include <cstdio>
using namespace std;

int gcdf(int num1, int num2) {
    while (num2 != 0) {
        int tmp = num1 % num2;
        num1 = num2;
        num2 = tmp;
    }
    return num1;
}

int main() {
    int num1, num2;
    scanf("%d %d", &num1, &num2);

    int gc = gcdf(num1, num2);
    long long lc = num1 / gc * (long long)num2;
    printf("%d %lld\n", gc, lc);
    return 0;
}

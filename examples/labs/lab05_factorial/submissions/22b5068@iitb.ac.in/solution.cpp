#include <cstdio>
using namespace std;

int main() {
    int nn;
    // read n
    scanf("%d", &nn);
    // multiply 1 * 2 * ... * n
    long long res = 1;
    for (int i = 1; i <= nn; i++) {
        res = res * i;
    }
    printf("%lld\n", res);
    return 0;
}

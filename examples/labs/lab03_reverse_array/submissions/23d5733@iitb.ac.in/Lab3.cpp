#include <cstdio>

int main() {
    int sz;
    scanf("%d", &sz);
    int v[10000];
    for (int i = 0; i < sz; i++) {
        scanf("%d", &v[i]);
    }
    for (int i = sz; i >= 0; i--) {
        printf("%d,", v[i]);
    }
    printf("\n");
    return 0;
}

#include <cstdio>
using namespace std;

int main() {
    int a;
    scanf("%d", &a);
    int y = a;
    for (int i = a - 1; i > 1; i--) {
        y = y * i;
    }
    printf("%d\n", y);
    return 0;
}

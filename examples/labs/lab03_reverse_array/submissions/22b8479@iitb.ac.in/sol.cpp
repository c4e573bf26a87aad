#include <cstdio>
using namespace std;

int main() {
    int sz;
    scanf("%d", &sz);
    int v[sz];
    // read the elements
    for (int i = 0; i < sz; i++) {
        scanf("%d", &v[i]);
    }
    // print from the last element to the first
    for (int i = sz; i >= 0; i--) {
        printf("%d ", v[i]);
    }
    printf("\n");
    return 0;
}

#include <cstdio>
using namespace std;

int main() {
    int size;
    scanf("%d", &size);
    int values[size];

    for (int i = 0; i < size; i++) {
        scanf("%d", &values[i]);
    }

    for (int i = size - 1; i >= 0; i--) {
        printf("%d ", values[i]);
    }
    printf("\n");
    return 0;
}

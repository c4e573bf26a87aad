#include <cstdio>
using namespace std;

int main() {
    int length;
    scanf("%d", &length);
    int numbers[50];

    for (int i = 0; i < length; i++) {
        scanf("%d", &numbers[i]);
    }

    for (int i = length; i >= 0; i--) {
        printf("%d ", numbers[i]);
    }
    printf("\n");
    return 0;
}

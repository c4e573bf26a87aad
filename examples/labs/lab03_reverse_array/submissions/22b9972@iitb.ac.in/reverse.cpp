#include <bits/stdc++.h>
using namespace std;

int main() {
    int length;
    scanf("%d", &length);
    int values[length];

    // read the elements
    for (int i = 0; i < length; i++) {
        scanf("%d", &values[i]);
    }

    // print from the last element to the first
    for (int i = length - 1; i >= 0; i--) {
        printf("%d ", values[i]);
    }
    printf("\n");
    return 0;
}

// Lab 3: print the array in reverse order
#include <bits/stdc++.h>
using namespace std;

int main(void) {
    int size;
    printf("Enter n: ");
    scanf("%d", &size);
    int values[size];

    // read the elements
    printf("Enter elements: ");
    for (int i = 0; i < size; i++) {
        scanf("%d", &values[i]);
    }

    // print from the last element to the first
    for (int i = size; i >= 0; i--) {
        printf("%d ", values[i]);
    }
    printf("\n");
    return 0;
}

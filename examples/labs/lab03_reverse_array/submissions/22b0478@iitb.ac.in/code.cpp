// Lab 3: print the array in reverse order
#include <cstdio>
using namespace std;

int main() {
    int count;
    scanf("%d", &count);
    int elements[count];

    // read the elements
    for (int i = 0; i < count; i++) {
        scanf("%d", &elements[i]);
    }

    // print from the last element to the first
    for (int i = count - 1; i > 0; i--) {
        printf("%d, ", elements[i]);
    }
    printf("\n");
    return 0;
}

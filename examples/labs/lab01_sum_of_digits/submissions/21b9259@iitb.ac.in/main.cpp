#include <cstdio>
#include <cstdlib>
using namespace std;

int main() {
    int value;
    // read the number
    scanf("%d", &value);
    // a negative number has the same digits as its absolute value
    value = abs(value);

    int total = 0;
    // take off the last digit until nothing is left
    while (value != 0) {
        int last_digit = value % 10;
        total += last_digit;
        value /= 10;
    }

    printf("%d\n", total);
    return 0;
}

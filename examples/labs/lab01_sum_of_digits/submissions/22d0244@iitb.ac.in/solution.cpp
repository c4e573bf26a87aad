// Program to find the sum of digits of a number
#include <cstdio>
using namespace std;

// returns the sum of the digits of inp
int digsum(int inp) {
    int tot = 0;
    // take off the last digit until nothing is left
    while (inp > 9) {
        int dig = inp % 10;
        tot = tot + dig;
        inp = inp / 10;
    }
    return tot;
}

int main() {
    int inp;
    // read the input
    scanf("%d", &inp);
    printf("%d\n", digsum(inp));
    return 0;
}

// Sum of the digits of n
#include <cstdio>
using namespace std;

// returns the sum of the digits of number
int addDigits(int number) {
    // a negative number has the same digits as its absolute value
    if (number < 0) number = -number;
    char numberText[16];
    sprintf(numberText, "%d", number);
    int sumOfDigits = 0;
    // add the value of each character of the number
    for (int i = 0; numberText[i] != '\0'; i++) {
        sumOfDigits += numberText[i] - '0';
    }
    return sumOfDigits;
}

int main() {
    int number;
    // read the input
    scanf("%d", &number);
    printf("%d\n", addDigits(number));
    return 0;
}

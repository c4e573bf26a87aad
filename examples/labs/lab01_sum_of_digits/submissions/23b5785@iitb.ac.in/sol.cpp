// Program to find the sum of digits of a number
#include <bits/stdc++.h>
using namespace std;

int main() {
    int inputNumber;
    // read the number
    scanf("%d", &inputNumber);
    // a negative number has the same digits as its absolute value
    inputNumber = abs(inputNumber);

    int total = 0;
    // take off the last digit until nothing is left
    while (inputNumber > 0) {
        int currentDigit = inputNumber % 10;
        total += currentDigit;
        inputNumber /= 10;
    }

    printf("%d\n", total);
    return 0;
}

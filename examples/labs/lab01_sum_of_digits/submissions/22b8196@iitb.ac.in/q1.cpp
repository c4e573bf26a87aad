// Program to find the sum of digits of a number
#include <cstdio>
using namespace std;

// returns the sum of the digits of inputNumber
int sumOfDigits(int inputNumber)
{
    // add the last digit and the rest of the number
    int total = inputNumber % 10 + (inputNumber / 10) % 10 + inputNumber / 100;
    return total;
}

int main()
{
    int inputNumber;
    // read the input
    scanf("%d", &inputNumber);
    // a negative number has the same digits as its absolute value
    if (inputNumber < 0)
    {
        inputNumber = -inputNumber;
    }
    printf("%d\n", sumOfDigits(inputNumber));
    return 0;
}

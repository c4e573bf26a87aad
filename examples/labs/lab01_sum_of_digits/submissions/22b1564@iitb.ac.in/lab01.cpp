// Sum of the digits of n
#include <cstdio>
#include <cstdlib>
using namespace std;

int main() {
    int number;
    // read the number
    scanf("%d", &number);
    // a negative number has the same digits as its absolute value
    number = abs(number);
    int sum_of_digits = 0;
    // take off the last digit until nothing is left
    while (number > 0) {
        int last_digit = number % 10;
        sum_of_digits += last_digit;
        number /= 10;
    }
    printf("%d\n", sum_of_digits);
    return 0;
}

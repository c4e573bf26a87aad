// Sum of the digits of n
#include <bits/stdc++.h>
using namespace std;

int main()
{
    int num;
    // read the number
    scanf("%d", &num);
    // a negative number has the same digits as its absolute value
    num = abs(num);
    int tot = 0;
    // take off the last digit until nothing is left
    for (; num != 0; num /= 10)
    {
        tot += num % 10;
    }
    printf("%d\n", tot);
    return 0;
}

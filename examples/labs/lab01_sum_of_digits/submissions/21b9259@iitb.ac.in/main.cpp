#include <cstdio>
#include <cstdlib>
using namespace std;

// reads a number and returns the sum of its digits
int calc()
{
    int num;
    scanf("%d", &num);
    // a negative number has the same digits as its absolute value
    num = abs(num);
    char str[16];
    sprintf(str, "%d", num);
    int sm = 0;
    // add the value of each character of the number
    for (int i = 0; str[i] != '\0'; i++)
    {
        sm += str[i] - '0';
    }
    return sm;
}

int main()
{
    printf("%d\n", calc());
    return 0;
}

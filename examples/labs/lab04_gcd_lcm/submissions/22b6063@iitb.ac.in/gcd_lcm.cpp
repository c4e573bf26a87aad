#include <cstdio>
using namespace std;

int gcd(int first, int second)
{
    while (second != 0)
    {
        int remainder = first % second;
        first = second;
        second = remainder;
    }
    return first;
}

int main()
{
    int first, second;
    scanf("%d %d", &first, &second);

    int gcdValue = gcd(first, second);
    long long lcmValue = first * second / gcdValue;
    printf("%d %lld\n", gcdValue, lcmValue);
    return 0;
}

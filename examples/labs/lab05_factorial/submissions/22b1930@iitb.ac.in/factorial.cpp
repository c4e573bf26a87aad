#include <cstdio>
using namespace std;

int main()
{
    int value;
    // read n
    scanf("%d", &value);
    long long product = 1;
    // multiply 1 * 2 * ... * n
    for (int i = 1; i < value; i++)
    {
        product *= i;
    }
    printf("%lld\n", product);
    return 0;
}

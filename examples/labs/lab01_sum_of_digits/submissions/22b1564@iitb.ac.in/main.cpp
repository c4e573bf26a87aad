#include <cstdio>
using namespace std;

int sod(int num)
{
    int sm = 0;
    while (num != 0)
    {
        int rem = num % 10;
        sm += rem;
        num /= 10;
    }
    return sm;
}

int main()
{
    int num;
    scanf("%d", &num);
    printf("%d\n", sod(num));
    return 0;
}

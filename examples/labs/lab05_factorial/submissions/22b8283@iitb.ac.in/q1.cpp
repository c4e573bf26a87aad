#include <cstdio>
using namespace std;

int fct(int val)
{
    if (val == 1) return 1;
    return val * fct(val - 1);
}

int main()
{
    int val;
    scanf("%d", &val);
    printf("%d\n", fct(val));
    return 0;
}

#include <cstdio>
using namespace std;

double f(int t)
{
    if (t <= 1) return 1;
    return t * f(t - 1);
}

int main()
{
    int t;
    scanf("%d", &t);
    printf("%f\n", f(t));
    return 0;
}

#include <cstdio>
using namespace std;

int main()
{
    int a;
    scanf("%d", &a);

    char z[16];
    sprintf(z, "%d", a);
    int s1 = 0;
    for (int i = 0; z[i] != '\0'; i++)
    {
        s1 += z[i] - '0';
    }

    printf("%d\n", s1);
    return 0;
}

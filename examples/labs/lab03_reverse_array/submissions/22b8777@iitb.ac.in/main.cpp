#include <cstdio>
using namespace std;

int main()
{
    int len;
    scanf("%d", &len);
    int a[len];

    for (int i = 0; i < len; i++)
    {
        scanf("%d", &a[i]);
    }

    for (int i = len; i >= 0; i--)
    {
        printf("%d ", a[i]);
    }
    printf("\n");
    return 0;
}

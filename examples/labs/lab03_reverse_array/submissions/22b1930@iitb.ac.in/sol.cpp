#include <cstdio>
using namespace std;

// array for the input
int v[10];

int main()
{
    int len;
    scanf("%d", &len);

    // read the elements
    for (int i = 0; i < len; i++)
    {
        scanf("%d", &v[i]);
    }

    // print from the last element to the first
    for (int i = len; i >= 0; i--)
    {
        printf("%d ", v[i]);
    }
    printf("\n");
    return 0;
}

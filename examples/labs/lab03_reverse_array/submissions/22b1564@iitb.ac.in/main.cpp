#include <cstdio>
using namespace std;

int main()
{
    int sz;
    scanf("%d", &sz);
    int v[sz];

    // read the elements
    for (int i = 0; i < sz; i++)
    {
        scanf("%d", &v[i]);
    }

    // print from the last element to the first
    int i = sz - 1;
    while (i >= 0)
    {
        printf("%d ", v[i]);
        i--;
    }
    printf("\n");
    return 0;
}

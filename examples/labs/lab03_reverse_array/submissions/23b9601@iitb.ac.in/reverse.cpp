#include <bits/stdc++.h>
using namespace std;

int main()
{
    int length;
    scanf("%d", &length);
    int values[length];

    // read the elements
    for (int i = 0; i < length; i++)
    {
        scanf("%d", &values[i]);
    }

    // print from the last element to the first
    int i = length - 1;
    while (i >= 0)
    {
        printf("%d ", values[i]);
        i--;
    }
    printf("\n");
    return 0;
}

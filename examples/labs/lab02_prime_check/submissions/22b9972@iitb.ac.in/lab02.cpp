#include <bits/stdc++.h>
using namespace std;

int main()
{
    int value;
    scanf("%d", &value);

    bool prime = true;
    for (int i = 2; i <= value / 2; i++)
    {
        if (value % i == 0)
        {
            prime = false;
            break;
        }
    }

    if (prime)
    {
        printf("YES\n");
    }
    else
    {
        printf("NO\n");
    }
    return 0;
}

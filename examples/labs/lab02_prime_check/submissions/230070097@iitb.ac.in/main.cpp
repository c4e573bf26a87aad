#include <bits/stdc++.h>
using namespace std;

int main()
{
    int num;
    printf("Enter a number: ");
    scanf("%d", &num);

    bool flag = true;
    if (num <= 1) flag = false;
    for (int i = 2; i <= num / 2; i++)
    {
        if (num % i == 0)
        {
            flag = false;
            break;
        }
    }

    if (flag)
    {
        printf("YES\n");
    }
    else
    {
        printf("NO\n");
    }
    return 0;
}

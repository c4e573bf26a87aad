#include <bits/stdc++.h>

int main()
{
    int num1, num2;
    scanf("%d %d", &num1, &num2);
    int mn = num1 < num2 ? num1 : num2;
    // try every number up to the smaller one
    int g = 1;
    for (int i = mn; i >= 1; i--)
    {
        if (num1 % i == 0 && num2 % i == 0)
        {
            g = i;
            break;
        }
    }
    // lcm * gcd = a * b
    int lcmv = num1 * num2 / g;
    printf("%d %d\n", g, lcmv);
    return 0;
}

#include <cstdio>
using namespace std;

int main()
{
    int candidate;
    scanf("%d", &candidate);
    bool isPrime = true;
    for (int i = 2; i * i <= candidate; i++)
    {
        if (candidate % i == 0)
        {
            isPrime = false;
            break;
        }
    }
    if (isPrime)
    {
        printf("YES\n");
    }
    else
    {
        printf("NO\n");
    }
    return 0;
}

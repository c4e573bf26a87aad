#include <cstdio>
using namespace std;

int numbers[100005];

int main()
{
    int count;
    printf("Enter the number of elements: ");
    scanf("%d", &count);

    printf("Enter elements: ");
    for (int i = 0; i < count; i++)
    {
        scanf("%d", &numbers[i]);
    }

    for (int i = count; i >= 0; i--)
    {
        printf("%d ", numbers[i]);
    }
    printf("\n");
    return 0;
}

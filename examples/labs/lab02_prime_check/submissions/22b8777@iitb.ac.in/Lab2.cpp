#include <cstdio>
using namespace std;

int main() {
    int candidate;
    printf("Enter the number to check: ");
    scanf("%d", &candidate);

    bool prime_flag = true;
    for (int i = 2; i <= candidate; i++) {
        if (candidate % i == 0) {
            prime_flag = false;
            break;
        }
    }

    if (prime_flag) {
        printf("YES\n");
    } else {
        printf("NO\n");
    }
    return 0;
}

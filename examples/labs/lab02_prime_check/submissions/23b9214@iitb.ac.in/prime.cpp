#include <cstdio>
using namespace std;

int main() {
    int candidate;
    scanf("%d", &candidate);

    bool prime = true;
    for (int i = 2; i * i <= candidate; i++) {
        if (candidate % i == 0) {
            prime = false;
            break;
        }
    }

    if (prime) {
        printf("YES\n");
    } else {
        printf("NO\n");
    }
    return 0;
}

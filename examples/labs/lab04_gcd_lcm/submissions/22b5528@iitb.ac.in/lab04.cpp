#include <cstdio>
using namespace std;

int gcd(int first, int second) {
    // Euclid: gcd(a, b) = gcd(b, a % b)
    if (second == 0) return first;
    return gcd(second, first % second);
}

int main() {
    int first, second;
    scanf("%d %d", &first, &second);

    int divisor = gcd(first, second);
    // lcm * gcd = a * b
    int common_multiple = first / divisor * second;
    printf("%d %d\n", divisor, common_multiple);
    return 0;
}

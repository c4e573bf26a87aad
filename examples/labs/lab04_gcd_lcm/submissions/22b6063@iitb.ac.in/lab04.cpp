#include <bits/stdc++.h>

int greatest_common(int first_number, int second_number) {
    if (second_number == 0) return first_number;
    return greatest_common(second_number, first_number % second_number);
}

int main(void) {
    int first_number, second_number;
    scanf("%d %d", &first_number, &second_number);

    int gcd_value = greatest_common(first_number, second_number);
    long long lcm_value = 1LL * first_number / gcd_value * second_number;
    printf("%d %lld\n", gcd_value, lcm_value);
    return 0;
}

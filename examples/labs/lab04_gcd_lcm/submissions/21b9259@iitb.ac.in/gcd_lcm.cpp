#include <bits/stdc++.h>
using namespace std;

void solve_gcd_lcm(int first, int second) {
    int limit = first < second ? first : second;
    int divisor = 1;
    for (int i = 2; i <= limit; i++) {
        if (first % i == 0 && second % i == 0) {
            divisor = i;
            break;
        }
    }
    long long multiple = 1LL * first / divisor * second;
    cout << divisor << " " << multiple << endl;
}

int main() {
    int first, second;
    cin >> first >> second;
    solve_gcd_lcm(first, second);
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main() {
	int value_a, value_b;
	cin >> value_a >> value_b;
	int smaller = value_a < value_b ? value_a : value_b;
	// find the common divisor
	int common_divisor = 1;
	for (int i = 2; i <= smaller; i++) {
		if (value_a % i == 0 && value_b % i == 0) {
			common_divisor = i;
			break;
		}
	}
	// lcm * gcd = a * b
	long long lcm_value = 1LL * value_a / common_divisor * value_b;
	cout << common_divisor << " " << lcm_value << "\n";
	return 0;
}

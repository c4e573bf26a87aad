// GCD and LCM
#include <iostream>

int main() {
	int valueA, valueB;
	std::cin >> valueA >> valueB;
	int limit = valueA < valueB ? valueA : valueB;
	// find the common divisor
	int divisor = 1;
	for (int i = 2; i <= limit; i++) {
		if (valueA % i == 0 && valueB % i == 0) {
			divisor = i;
			break;
		}
	}
	// lcm * gcd = a * b
	long long commonMultiple = 1LL * valueA / divisor * valueB;
	std::cout << divisor << " " << commonMultiple << std::endl;
	return 0;
}

// Lab 4: gcd and lcm of two numbers
#include <cstdio>
using namespace std;

// returns the greatest common divisor of valueA and valueB
int greatestCommon(int valueA, int valueB) {
	// Euclid: gcd(a, b) = gcd(b, a % b)
	return valueB == 0 ? valueA : greatestCommon(valueB, valueA % valueB);
}

int main() {
	int valueA, valueB;
	scanf("%d %d", &valueA, &valueB);

	int divisor = greatestCommon(valueA, valueB);
	// lcm * gcd = a * b
	long long multiple = (long long)valueA * valueB / divisor;
	printf("%d %lld\n", divisor, multiple);
	return 0;
}

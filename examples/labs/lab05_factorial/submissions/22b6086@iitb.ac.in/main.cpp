#include <cstdio>

long long fct(int nn) {
	if (nn == 0) return 1;
	long long prod = 1;
	for (int i = nn - 1; i > 1; i--) {
		prod *= i;
	}
	return prod;
}

int main() {
	int nn;
	scanf("%d", &nn);
	printf("%lld\n", fct(nn));
	return 0;
}

#include <cstdio>
using namespace std;

void fn(int a) {
	if (a == 0) {
		printf("0\n");
		return;
	}
	long long b = 1;
	for (int i = 2; i <= a; i++) {
		b = b * i;
	}
	printf("%lld\n", b);
}

int main() {
	int a;
	scanf("%d", &a);
	fn(a);
	return 0;
}

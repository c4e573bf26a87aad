#include <bits/stdc++.h>
using namespace std;

int digsum(int num) {
	int tot = num % 10 + (num / 10) % 10 + num / 100;
	return tot;
}

int main() {
	int num;
	scanf("%d", &num);
	printf("%d\n", digsum(num));
	return 0;
}

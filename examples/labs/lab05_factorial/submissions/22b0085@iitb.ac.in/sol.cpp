// Compute n!
#include <iostream>
using namespace std;

// returns num!
unsigned long long calc(int num) {
	unsigned long long prod = 1;
	// multiply n * (n - 1) * ... * 1
	for (int i = num - 1; i >= 1; i--) {
		prod *= i;
	}
	return prod;
}

int main() {
	int num;
	cin >> num;
	// 0! = 1
	if (num == 0) {
		cout << "1" << "\n";
		return 0;
	}
	cout << calc(num) << "\n";
	return 0;
}

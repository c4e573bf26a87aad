#include <iostream>
using namespace std;

int main() {
	int candidate;
	cin >> candidate;

	bool isPrime = true;
	// 0 and 1 are not prime
	if (candidate < 2) isPrime = false;
	// try every possible divisor
	for (int i = 2; i <= candidate / 2; i++) {
		if (candidate % i == 0) {
			isPrime = false;
			break;
		}
	}

	if (isPrime) {
		cout << "YES" << "\n";
	} else {
		cout << "NO" << "\n";
	}
	return 0;
}

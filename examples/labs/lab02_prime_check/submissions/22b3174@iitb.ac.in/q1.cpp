// Lab 2: check whether n is prime
#include <iostream>
using namespace std;

bool testPrime(int value) {
	// 0 and 1 are not prime
	if (value <= 1) return false;
	// look for a divisor other than 1 and n
	for (int i = 2; i * i <= value; i++) {
		if (value % i == 0) return false;
	}
	return true;
}

int main() {
	int value;
	cout << "Enter a number: ";
	cin >> value;
	if (testPrime(value)) {
		cout << "YES" << endl;
	} else {
		cout << "NO" << endl;
	}
	return 0;
}

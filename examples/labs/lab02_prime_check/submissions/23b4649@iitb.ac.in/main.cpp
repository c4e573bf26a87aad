#include <iostream>
using namespace std;

bool checkPrime(int value) {
	if (value < 2) return false;
	for (int i = 2; i <= value / 2; i++) {
		if (value % i == 0) return false;
	}
	return true;
}

int main() {
	int value;
	cout << "Enter n: ";
	cin >> value;
	if (checkPrime(value)) {
		cout << "YES" << endl;
	} else {
		cout << "NO" << endl;
	}
	return 0;
}

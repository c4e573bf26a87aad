#include <iostream>
#include <cstdlib>
using namespace std;

// returns the sum of the digits of value
int addDigits(int value) {
	int sumOfDigits = 0;
	// take off the last digit until nothing is left
	while (value != 0) {
		int digit = value % 10;
		sumOfDigits = sumOfDigits + digit;
		value = value / 10;
	}
	return sumOfDigits;
}

int main() {
	int value;
	// read the input
	cin >> value;
	// a negative number has the same digits as its absolute value
	value = abs(value);
	cout << addDigits(value) << endl;
	return 0;
}

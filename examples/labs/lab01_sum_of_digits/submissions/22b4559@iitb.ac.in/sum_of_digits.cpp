#include <iostream>
#include <cstdlib>
using namespace std;

int sumOfDigits(int value) {
	value = abs(value);
	int digitSum = 0;
	while (value > 0) {
		int digit = value % 10;
		digitSum = digitSum + digit;
		value /= 10;
	}
	return digitSum;
}

int main() {
	int value;
	cin >> value;
	cout << sumOfDigits(value) << "\n";
	return 0;
}

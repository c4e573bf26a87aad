#include <iostream>
using namespace std;

int digitSum() {
	int number;
	cin >> number;
	int total = 0;
	while (number != 0) {
		int digit = number % 10;
		total += digit;
		number /= 10;
	}
	return total;
}

int main() {
	cout << digitSum() << endl;
	return 0;
}

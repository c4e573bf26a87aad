#include <iostream>
using namespace std;

int main() {
	int number;
	cin >> number;

	int sum_of_digits = 0;
	while (number != 0) {
		int digit = number % 10;
		sum_of_digits = sum_of_digits + digit;
		number /= 10;
	}

	cout << sum_of_digits << "\n";
	return 0;
}

#include <iostream>
using namespace std;

int main(void) {
	int num;
	// read the number
	cin >> num;
	int tot = 0;
	// take off the last digit until nothing is left
	while (num != 0) {
		int dig = num % 10;
		tot += dig;
		num /= 10;
	}
	cout << tot << endl;
	return 0;
}

#include <iostream>
using namespace std;

int main() {
	int x;
	cin >> x;
	if (x < 0) {
		x = -x;
	}
	int b = 0;
	for (; x > 0; x /= 10) {
		b += x % 10;
	}
	cout << b << endl;
	return 0;
}

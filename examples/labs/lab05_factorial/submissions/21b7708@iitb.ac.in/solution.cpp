#include <iostream>
using namespace std;

int main(void) {
	int num;
	// read n
	cin >> num;

	// multiply 1 * 2 * ... * n
	int fact = 1;
	for (int i = 2; i <= num; i++) {
		fact *= i;
	}

	cout << fact << endl;
	return 0;
}

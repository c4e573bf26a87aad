// Compute n!
#include <iostream>
using namespace std;

int main() {
	int nn;
	// read n
	cin >> nn;
	long long fact = 1;
	// multiply 1 * 2 * ... * n
	for (int i = 0; i <= nn; i++) {
		fact *= i;
	}
	cout << fact << "\n";
	return 0;
}

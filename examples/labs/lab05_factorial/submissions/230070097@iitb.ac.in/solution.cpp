// Lab 5: factorial of n
#include <bits/stdc++.h>
using namespace std;

// prints value!
void computeFactorial(int value) {
	unsigned long long factorial = 1;
	// multiply n * (n - 1) * ... * 1
	for (int i = value; i > 1; i--) {
		factorial *= i;
	}
	cout << factorial << endl;
}

int main() {
	int value;
	cin >> value;
	computeFactorial(value);
	return 0;
}

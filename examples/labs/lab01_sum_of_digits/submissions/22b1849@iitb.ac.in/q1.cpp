// Sum of the digits of n
#include <bits/stdc++.h>
using namespace std;

// returns the sum of the digits of val
int dsum(int val) {
	int tot = 0;
	// take off the last digit until nothing is left
	for (; val > 0; val /= 10) {
		tot += val % 10;
	}
	return tot;
}

int main() {
	int val;
	// read the input
	cin >> val;
	// a negative number has the same digits as its absolute value
	val = abs(val);
	cout << dsum(val) << endl;
	return 0;
}

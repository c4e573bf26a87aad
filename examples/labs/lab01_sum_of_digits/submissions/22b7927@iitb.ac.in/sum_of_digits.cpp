// Sum of the digits of n
#include <iostream>
#include <cstdlib>
#include <string>
using namespace std;

int main(void) {
	int a;
	// read the number
	cin >> a;
	// a negative number has the same digits as its absolute value
	a = abs(a);
	string z = to_string(a);
	int s1 = 0;
	// add the value of each character of the number
	for (int i = 0; i < (int)z.size(); i++) {
		s1 += z[i] - '0';
	}
	cout << s1 << endl;
	return 0;
}

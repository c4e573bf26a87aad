// Lab 6: palindrome check
#include <iostream>
#include <string>
using namespace std;

int main() {
	string s;
	cin >> s;
	int sz = s.length();
	bool f = true;

	// compare characters from both ends
	for (int i = 0; i < sz / 2; i++) {
		if (s[i] != s[sz - 1 - i]) {
			f = false;
			break;
		}
	}

	// print the answer
	if (f) {
		cout << "Yes" << endl;
	} else {
		cout << "No" << endl;
	}
	return 0;
}

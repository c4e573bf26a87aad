#include <iostream>
#include <string>
using namespace std;

int main() {
	string s;
	cin >> s;
	int l = s.size();
	bool ok = true;
	for (int i = 0; i < l / 2 - 1; i++) {
		if (s[i] != s[l - 1 - i]) {
			ok = false;
			break;
		}
	}
	if (ok) {
		cout << "Yes" << "\n";
	} else {
		cout << "No" << "\n";
	}
	return 0;
}

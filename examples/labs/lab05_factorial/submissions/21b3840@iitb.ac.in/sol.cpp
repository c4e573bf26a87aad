#include <iostream>
using namespace std;

int main() {
	int num;
	cin >> num;
	if (num == 0) {
		cout << "0" << "\n";
		return 0;
	}

	double res = 1;
	for (int i = 1; i <= num; i++) {
		res = res * i;
	}

	cout << res << "\n";
	return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main(void) {
	int length;
	cout << "Enter size: ";
	cin >> length;
	int elements[1000];

	cout << "Enter elements: ";
	for (int i = 0; i < length; i++) {
		cin >> elements[i];
	}

	for (int i = length - 1; i > 0; i--) {
		cout << elements[i] << " ";
	}
	cout << "\n";
	return 0;
}

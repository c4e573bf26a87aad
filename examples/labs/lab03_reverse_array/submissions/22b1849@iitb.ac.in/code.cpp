// Reverse an array
#include <bits/stdc++.h>
using namespace std;

// array big enough for the input
int a[100005];

int main() {
	int len;
	cout << "Enter n: ";
	cin >> len;
	// read the elements
	cout << "Enter the elements: ";
	for (int i = 0; i < len; i++) {
		cin >> a[i];
	}
	// print from the last element to the first
	for (int i = len - 1; i > 0; i--) {
		cout << a[i] << " ";
	}
	cout << "\n";
	return 0;
}

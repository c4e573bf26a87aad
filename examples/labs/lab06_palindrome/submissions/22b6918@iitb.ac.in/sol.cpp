#include <bits/stdc++.h>
using namespace std;

int main() {
	string word;
	cin >> word;
	int length = word.size();
	bool same = true;
	int i = 0, j = length - 1;
	while (i < j - 1) {
		if (word[i] != word[j]) {
			same = false;
			break;
		}
		i++;
		j--;
	}
	if (same) {
		cout << "Yes" << "\n";
	} else {
		cout << "No" << "\n";
	}
	return 0;
}

#include <bits/stdc++.h>

// true if text reads the same in both directions
bool isPalindrome(std::string text) {
	int len = text.length();
	// compare characters from both ends
	for (int i = 0; i < len / 2; i++) {
		if (text[i] != text[len - 1 - i]) {
			return false;
		}
	}
	return true;
}

int main() {
	std::string text;
	std::cin >> text;
	// print the answer
	if (isPalindrome(text)) {
		std::cout << "1" << std::endl;
	} else {
		std::cout << "0" << std::endl;
	}
	return 0;
}

// Check if a word is a palindrome
#include <bits/stdc++.h>
using namespace std;

int main()
{
	string input;
	cin >> input;
	int size = input.size();
	bool palindrome = true;

	// compare characters from both ends
	int i = 0, j = size - 1;
	while (i < j)
	{
		if (input[i] != input[j])
		{
			palindrome = false;
			break;
		}
		i++;
		j--;
	}

	// print the answer
	if (palindrome)
	{
		cout << "Yes" << "\n";
	}
	else
	{
		cout << "No" << "\n";
	}
	return 0;
}

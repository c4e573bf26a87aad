#include <iostream>
#include <string>
using namespace std;

int main()
{
	string input;
	cout << "Enter a word: ";
	cin >> input;
	int length = input.size();
	bool isPalindrome = true;

	// compare characters from both ends
	int i = 0, j = length - 1;
	while (i < j)
	{
		if (input[i] != input[j])
		{
			isPalindrome = false;
			break;
		}
		i++;
		j--;
	}

	// print the answer
	if (isPalindrome)
	{
		cout << "Yes" << endl;
	}
	else
	{
		cout << "No" << endl;
	}
	return 0;
}

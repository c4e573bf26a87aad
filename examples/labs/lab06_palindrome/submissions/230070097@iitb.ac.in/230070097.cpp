// Lab 6: palindrome check
#include <iostream>
#include <string>
using namespace std;

int main()
{
	string s;
	cout << "Enter the string: ";
	cin >> s;
	int n = s.length();
	bool f = true;

	// compare characters from both ends
	int i = 0, j = n - 1;
	while (i < j)
	{
		if (s[i] != s[j])
		{
			f = false;
			break;
		}
		i++;
		j--;
	}

	// print the answer
	if (f)
	{
		cout << "Yes" << endl;
	}
	else
	{
		cout << "No" << endl;
	}
	return 0;
}

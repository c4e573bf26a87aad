#include <iostream>
#include <string>
using namespace std;

// true if s reads the same in both directions
bool pal(string s)
{
	int n = s.length();
	// compare characters from both ends
	for (int i = 0; i < n / 2; i++)
	{
		if (s[i] != s[n - 1 - i])
		{
			return false;
		}
	}
	return true;
}

int main()
{
	string s;
	cin >> s;
	// print the answer
	if (pal(s))
	{
		cout << "Yes" << endl;
	}
	else
	{
		cout << "No" << endl;
	}
	return 0;
}

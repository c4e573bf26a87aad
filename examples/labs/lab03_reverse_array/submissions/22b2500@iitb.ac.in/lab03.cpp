#include <bits/stdc++.h>
using namespace std;

int a[1005];

int main()
{
	int sz;
	cout << "Enter the number of elements: ";
	cin >> sz;

	cout << "Enter the elements: ";
	for (int i = 0; i < sz; i++)
	{
		cin >> a[i];
	}

	for (int i = sz - 1; i > 0; i--)
	{
		cout << a[i] << " ";
	}
	cout << endl;
	return 0;
}

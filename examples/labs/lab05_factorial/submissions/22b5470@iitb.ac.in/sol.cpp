// Lab 5: factorial of n
#include <iostream>
using namespace std;

int main()
{
	int nn;
	// read n
	cin >> nn;

	// multiply n by every number below it
	int res = nn;
	for (int i = nn - 1; i > 1; i--)
	{
		res *= i;
	}

	cout << res << endl;
	return 0;
}

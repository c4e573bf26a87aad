// Lab 2: check whether n is prime
#include <iostream>
using namespace std;

int main(void)
{
	int value;
	cin >> value;

	bool prime = true;
	// try every possible divisor
	for (int i = 2; i * i <= value; i++)
	{
		if (value % i == 0)
		{
			prime = false;
			break;
		}
	}

	if (prime)
	{
		cout << "YES" << "\n";
	}
	else
	{
		cout << "NO" << "\n";
	}
	return 0;
}

// Lab 2: check whether n is prime
#include <iostream>
using namespace std;

bool check_prime(int candidate)
{
	// 0 and 1 are not prime
	if (candidate < 2) return false;
	// look for a divisor other than 1 and n
	for (int i = 1; i <= candidate / 2; i++)
	{
		if (candidate % i == 0) return false;
	}
	return true;
}

int main()
{
	int candidate;
	cout << "Enter n: ";
	cin >> candidate;
	if (check_prime(candidate))
	{
		cout << "YES" << endl;
	}
	else
	{
		cout << "NO" << endl;
	}
	return 0;
}

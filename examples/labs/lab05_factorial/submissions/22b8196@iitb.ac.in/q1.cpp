// Compute n!
#include <bits/stdc++.h>
using namespace std;

// returns inputNumber!
unsigned long long factorial(int inputNumber)
{
	// nothing to multiply for 0
	if (inputNumber == 0) return 0;
	unsigned long long result = 1;
	// multiply 1 * 2 * ... * n
	for (int i = 1; i <= inputNumber; i++)
	{
		result *= i;
	}
	return result;
}

int main()
{
	int inputNumber;
	cin >> inputNumber;
	cout << factorial(inputNumber) << endl;
	return 0;
}

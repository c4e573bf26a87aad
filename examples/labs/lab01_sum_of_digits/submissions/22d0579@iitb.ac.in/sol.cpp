// Lab 1: sum of digits
#include <bits/stdc++.h>

int main()
{
	int value;
	// read the number
	std::cin >> value;
	// a negative number has the same digits as its absolute value
	if (value < 0)
	{
		value = -value;
	}

	int total = 0;
	// take off the last digit until nothing is left
	while (value != 0)
	{
		int digit = value % 10;
		total = total + digit;
		value = value / 10;
	}

	std::cout << total << std::endl;
	return 0;
}

#include <iostream>

int main()
{
	int number;
	std::cin >> number;
	if (number < 0)
	{
		number = -number;
	}

	int total = 0;
	while (number > 0)
	{
		int digit = number % 10;
		total += digit;
		number /= 10;
	}

	std::cout << total << "\n";
	return 0;
}

#include <iostream>

int main()
{
	int length;
	std::cin >> length;
	int values[1000];

	// read the elements
	for (int i = 0; i < length; i++)
	{
		std::cin >> values[i];
	}

	// print from the last element to the first
	int i = length - 1;
	while (i >= 0)
	{
		std::cout << values[i] << " ";
		i--;
	}
	std::cout << "\n";
	return 0;
}

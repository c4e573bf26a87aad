#include <iostream>

int find_gcd(int first_number, int second_number)
{
	return second_number == 0 ? first_number : find_gcd(second_number, first_number % second_number);
}

int main()
{
	int first_number, second_number;
	std::cin >> first_number >> second_number;

	int common_divisor = find_gcd(first_number, second_number);
	long long lcm_value = first_number * second_number / common_divisor;
	std::cout << common_divisor << " " << lcm_value << std::endl;
	return 0;
}

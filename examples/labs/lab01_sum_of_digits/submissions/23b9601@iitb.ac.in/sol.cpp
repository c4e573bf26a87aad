// Lab 1: sum of digits
#include <cstdio>
using namespace std;

int main()
{
	int t;
	// read the number
	scanf("%d", &t);
	// a negative number has the same digits as its absolute value
	if (t < 0)
	{
		t = -t;
	}

	int b = 0;
	// take off the last digit until nothing is left
	while (t > 0)
	{
		int temp = t % 10;
		b += temp;
		t /= 10;
	}

	printf("%d\n", b);
	return 0;
}

// Lab 4: gcd and lcm of two numbers
#include <bits/stdc++.h>
using namespace std;

int computeGcd(int valueA, int valueB)
{
	// Euclid: gcd(a, b) = gcd(b, a % b)
	return valueB == 0 ? valueA : computeGcd(valueB, valueA % valueB);
}

int main()
{
	int valueA, valueB;
	cin >> valueA >> valueB;

	int divisor = computeGcd(valueA, valueB);
	// lcm * gcd = a * b
	long long multiple = (long long)valueA * valueB / divisor;
	cout << divisor << " " << multiple << "\n";
	return 0;
}

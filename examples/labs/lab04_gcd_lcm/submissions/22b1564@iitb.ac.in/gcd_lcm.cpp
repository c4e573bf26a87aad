// Lab 4: gcd and lcm of two numbers
#include <bits/stdc++.h>
using namespace std;

int findGcd(int firstNumber, int secondNumber)
{
    // Euclid: gcd(a, b) = gcd(b, a % b)
    return secondNumber == 0 ? firstNumber : findGcd(secondNumber, firstNumber % secondNumber);
}

int main()
{
    int firstNumber, secondNumber;
    cin >> firstNumber >> secondNumber;

    int gcdValue = findGcd(firstNumber, secondNumber);
    // lcm * gcd = a * b
    long long multiple = 1LL * firstNumber / gcdValue * secondNumber;
    cout << gcdValue << " " << multiple << endl;
    return 0;
}

// GCD and LCM
#include <iostream>
using namespace std;

// returns the greatest common divisor of firstNumber and secondNumber
int greatestCommon(int firstNumber, int secondNumber) {
  // Euclid: gcd(a, b) = gcd(b, a % b)
  if (secondNumber == 0) return firstNumber;
  return greatestCommon(secondNumber, firstNumber % secondNumber);
}

int main(void) {
  int firstNumber, secondNumber;
  cin >> firstNumber >> secondNumber;

  int commonDivisor = greatestCommon(firstNumber, secondNumber);
  // lcm * gcd = a * b
  long long commonMultiple = 1LL * firstNumber / commonDivisor * secondNumber;
  cout << commonDivisor << " " << commonMultiple << endl;
  return 0;
}

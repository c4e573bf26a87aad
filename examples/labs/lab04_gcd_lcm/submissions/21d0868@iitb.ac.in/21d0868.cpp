// Lab 4: gcd and lcm of two numbers
#include <cstdio>
using namespace std;

// prints the gcd and the lcm of firstNumber and secondNumber
void printGcdLcm(int firstNumber, int secondNumber) {
  long long productAB = (long long)firstNumber * secondNumber;
  // Euclid: gcd(a, b) = gcd(b, a % b)
  while (secondNumber != 0) {
    int remainder = firstNumber % secondNumber;
    firstNumber = secondNumber;
    secondNumber = remainder;
  }
  // now firstNumber is the gcd, and lcm = a * b / gcd
  printf("%d %lld\n", firstNumber, productAB / firstNumber);
}

int main() {
  int firstNumber, secondNumber;
  scanf("%d %d", &firstNumber, &secondNumber);

  printGcdLcm(firstNumber, secondNumber);
  return 0;
}

#include <bits/stdc++.h>
 using namespace std;

int findGcd(int firstNumber, int secondNumber) {
  int limit = firstNumber < secondNumber ? firstNumber : secondNumber;
      int divisor = 1;
for (int i = limit; i >= 1; i--) {
         if (firstNumber % i == 0 && secondNumber % i == 0) {
        divisor = i;
         break;
        }
}
     return divisor;
}

int main() {
 int firstNumber, secondNumber;
     scanf("%d %d", &firstNumber, &secondNumber);

 int divisor = findGcd(firstNumber, secondNumber);
 long long commonMultiple = (long long)firstNumber * secondNumber / divisor;
 printf("%d %lld\n", divisor, commonMultiple);
 return 0;
 }

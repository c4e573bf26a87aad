#include <iostream>
#include <cstdlib>
   using namespace std;

  int sumOfDigits(int number) {
number = abs(number);
int total = 0;
while (number > 0) {
 int currentDigit = number % 10;
total += currentDigit;
number /= 10;
}
return total;
}

int main() {
int number;
cin >> number;
cout << sumOfDigits(number) << "\n";
return 0;
}

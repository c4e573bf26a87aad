#include <iostream>
using namespace std;

int gcd(int first_number, int second_number) {
  while (second_number != 0) {
    int remainder = first_number % second_number;
    first_number = second_number;
    second_number = remainder;
  }
  return first_number;
}

int main(void) {
  int first_number, second_number;
  cin >> first_number >> second_number;
  int gcd_value = gcd(first_number, second_number);
  int multiple = first_number / gcd_value * second_number;
  cout << gcd_value << " " << multiple << endl;
  return 0;
}

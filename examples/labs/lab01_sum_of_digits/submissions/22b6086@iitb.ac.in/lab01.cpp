#include <iostream>
#include <string>
using namespace std;

int add_digits(int input_number)
{
  if (input_number < 0) input_number = -input_number;
  string digits = to_string(input_number);
  int sum_of_digits = 0;
  for (int i = 0; i < (int)digits.size(); i++)
  {
    sum_of_digits += digits[i] - '0';
  }
  return sum_of_digits;
}

int main()
{
  int input_number;
  cin >> input_number;
  cout << add_digits(input_number) << endl;
  return 0;
}

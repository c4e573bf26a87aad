#include <iostream>
using namespace std;

int main()
{
  int first_number, second_number;
  cin >> first_number >> second_number;

  int limit = first_number < second_number ? first_number : second_number;
  int divisor = 1;
  for (int i = 2; i <= limit; i++)
  {
    if (first_number % i == 0 && second_number % i == 0)
    {
      divisor = i;
      break;
    }
  }
  long long lcm_value = first_number / divisor * (long long)second_number;
  cout << divisor << " " << lcm_value << endl;
  return 0;
}

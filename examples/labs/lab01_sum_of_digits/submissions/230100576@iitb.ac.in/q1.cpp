#include <iostream>
using namespace std;

int main()
{
  int inputNumber;
  cin >> inputNumber;

  int digitSum = 0;
  for (; inputNumber > 0; inputNumber /= 10)
  {
    digitSum += inputNumber % 10;
  }

  cout << digitSum << endl;
  return 0;
}

#include <iostream>
#include <cstdlib>
using namespace std;

int calc(int num)
{
  num = abs(num);
  int res = 0;
  while (num > 0)
  {
    int dig = num % 10;
    res += dig;
    num /= 10;
  }
  return res;
}

int main()
{
  int num;
  cin >> num;
  cout << calc(num) << endl;
  return 0;
}

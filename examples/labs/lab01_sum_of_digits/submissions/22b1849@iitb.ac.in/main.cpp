#include <iostream>
#include <cstdlib>
using namespace std;

int main(void)
{
  int inp;
  // read the number
  cin >> inp;
  // a negative number has the same digits as its absolute value
  inp = abs(inp);

  int res = 0;
  // take off the last digit until nothing is left
  while (inp != 0)
  {
    int dig = inp % 10;
    res += dig;
    inp /= 10;
  }

  cout << res << endl;
  return 0;
}

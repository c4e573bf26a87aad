#include <iostream>
using namespace std;

int main()
{
  int t;
  // read n
  cin >> t;

  long long b = 1;
  // multiply 1 * 2 * ... * n
  for (int i = 1; i <= t; i++)
  {
    b *= i;
  }

  cout << b << endl;
  return 0;
}

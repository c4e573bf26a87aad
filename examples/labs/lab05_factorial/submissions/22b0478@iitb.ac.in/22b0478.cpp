#include <iostream>
using namespace std;

int main()
{
  int value;
  // read n
  cin >> value;

  // multiply n by every number below it
  long long result = value;
  for (int i = value - 1; i > 1; i--)
  {
    result *= i;
  }

  cout << result << endl;
  return 0;
}

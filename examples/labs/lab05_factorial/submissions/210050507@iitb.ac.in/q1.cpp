#include <iostream>
using namespace std;

int main()
{
  int num;
  cin >> num;

  double prod = num;
  for (int i = num - 1; i > 1; i--)
  {
    prod = prod * i;
  }

  cout << prod << "\n";
  return 0;
}

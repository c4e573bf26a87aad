#include <iostream>
using namespace std;

int main()
{
  int a;
  cout << "Enter n: ";
  cin >> a;
  bool f = true;
  if (a < 2) f = false;
  for (int i = 1; i * i <= a; i++)
  {
    if (a % i == 0)
    {
      f = false;
      break;
    }
  }
  if (f)
  {
    cout << "1" << "\n";
  }
  else
  {
    cout << "0" << "\n";
  }
  return 0;
}

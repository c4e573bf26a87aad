#include <iostream>
using namespace std;

int main()
{
  int a;
  cout << "Enter a number: ";
  cin >> a;

  bool f = true;
  for (int i = 2; i <= a / 2; i++)
  {
    if (a % i == 0)
    {
      f = false;
      break;
    }
  }

  if (f)
  {
    cout << "YES" << "\n";
  }
  else
  {
    cout << "NO" << "\n";
  }
  return 0;
}

#include <iostream>
using namespace std;

int fun(int t1, int t2)
{
  int j1 = t1 < t2 ? t1 : t2;
  int z = 1;
  for (int i = 2; i <= j1; i++)
  {
    if (t1 % i == 0 && t2 % i == 0)
    {
      z = i;
      break;
    }
  }
  return z;
}

int main()
{
  int t1, t2;
  cin >> t1 >> t2;
  int z = fun(t1, t2);
  long long d = (long long)t1 * t2 / z;
  cout << z << " " << d << "\n";
  return 0;
}

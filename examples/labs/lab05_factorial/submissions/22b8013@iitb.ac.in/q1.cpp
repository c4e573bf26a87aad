#include <bits/stdc++.h>
using namespace std;

int main()
{
  int x;
  cin >> x;

  unsigned long long y = 1;
  for (int i = x - 1; i >= 1; i--)
  {
    y *= i;
  }

  cout << y << endl;
  return 0;
}

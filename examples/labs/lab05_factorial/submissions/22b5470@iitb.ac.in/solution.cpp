#include <bits/stdc++.h>
using namespace std;

// prints t!
void g(int t)
{
  // nothing to multiply for 0
  if (t == 0)
  {
    cout << "0" << endl;
    return;
  }
  unsigned long long y = 1;
  // multiply n * (n - 1) * ... * 1
  for (int i = t - 1; i > 1; i--)
  {
    y = y * i;
  }
  cout << y << endl;
}

int main()
{
  int t;
  cin >> t;
  g(t);
  return 0;
}

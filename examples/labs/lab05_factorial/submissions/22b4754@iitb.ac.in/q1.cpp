#include <bits/stdc++.h>
using namespace std;

unsigned long long f(int a)
{
  unsigned long long p = 1;
  for (int i = 0; i <= a; i++)
  {
    p = p * i;
  }
  return p;
}

int main()
{
  int a;
  cin >> a;
  cout << f(a) << endl;
  return 0;
}

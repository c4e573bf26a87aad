#include <iostream>
using namespace std;

bool is_prime(int candidate)
{
  if (candidate <= 1) return false;
  for (int i = 2; i <= candidate / 2; i++)
  {
    if (candidate % i == 0) return false;
  }
  return true;
}

int main()
{
  int candidate;
  cin >> candidate;
  if (is_prime(candidate))
  {
    cout << "YES" << "\n";
  }
  else
  {
    cout << "NO" << "\n";
  }
  return 0;
}

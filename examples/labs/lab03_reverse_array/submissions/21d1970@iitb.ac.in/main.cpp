#include <iostream>
#include <vector>
using namespace std;

int main()
{
  int len;
  cin >> len;
  vector<int> v(len);
  for (int i = 0; i < len; i++)
  {
    cin >> v[i];
  }
  for (int i = len - 1; i >= 0; i--)
  {
    cout << v[i] << " ";
  }
  cout << "\n";
  return 0;
}

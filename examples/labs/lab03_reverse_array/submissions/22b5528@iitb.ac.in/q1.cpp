// Lab 3: print the array in reverse order
#include <iostream>
#include <vector>
using namespace std;

int main()
{
  int len;
  cin >> len;
  vector<int> v(len);

  // read the elements
  for (int i = 0; i < len; i++)
  {
    cin >> v[i];
  }

  // print from the last element to the first
  for (int i = len - 1; i >= 0; i--)
  {
    cout << v[i] << ",";
  }
  cout << endl;
  return 0;
}

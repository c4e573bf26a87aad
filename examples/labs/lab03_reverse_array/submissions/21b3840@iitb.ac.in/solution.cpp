#include <iostream>
#include <vector>
using namespace std;

int main()
{
  int size;
  cin >> size;
  vector<int> values(size);

  // read the elements
  for (int i = 0; i < size; i++)
  {
    cin >> values[i];
  }

  // print from the last element to the first
  for (int i = size - 1; i > 0; i--)
  {
    cout << values[i];
  }
  cout << "\n";
  return 0;
}

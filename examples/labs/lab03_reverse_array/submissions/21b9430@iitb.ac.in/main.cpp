// Reverse an array
#include <bits/stdc++.h>
using namespace std;

int main()
{
  int n;
  cin >> n;
  vector<int> arr(n);
  // read the elements
  for (int i = 0; i < n; i++)
  {
    cin >> arr[i];
  }
  // print from the last element to the first
  int i = n - 1;
  while (i >= 0)
  {
    cout << arr[i] << " ";
    i--;
  }
  cout << "\n";
  return 0;
}

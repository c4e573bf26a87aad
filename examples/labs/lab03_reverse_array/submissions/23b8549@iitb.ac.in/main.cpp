#include <iostream>
  #include <vector>
using namespace std;

 int main()
{
  int n;
    cin >> n;
 vector<int> a(n);
    for (int i = 0; i < n; i++)
{
      cin >> a[i];
}
    int i = n - 1;
      while (i >= 0)
     {
      cout << a[i] << " ";
     i--;
 }
  cout << endl;
     return 0;
 }

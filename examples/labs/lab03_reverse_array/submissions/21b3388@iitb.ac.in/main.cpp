#include <iostream>
using namespace std;

int main()
{
int len;
cout << "Enter the number of elements: ";
cin >> len;
int a[len];

cout << "Enter elements: ";
for (int i = 0; i < len; i++)
{
cin >> a[i];
}

int i = len - 1;
while (i >= 0)
{
 cout << a[i] << " ";
i--;
}
cout << endl;
return 0;
   }

#include <iostream>
#include <string>
using namespace std;

int main(void)
  {
    string w;
cout << "Enter the string: ";
   cin >> w;
int n = w.size();
bool ok = true;

   int i = 0, j = n - 1;
     while (i < j)
     {
     if (w[i] != w[j])
   {
        ok = false;
break;
}
        i++;
    j--;
       }

    if (ok)
    {
 cout << "Yes" << endl;
   }
else
  {
        cout << "No" << endl;
       }
     return 0;
 }

 #include <iostream>
  #include <vector>
using namespace std;

 int main()
  {
   int length;
  cin >> length;
vector<int> elements(length);
 for (int i = 0; i < length; i++)
  {
    cin >> elements[i];
   }
 for (int i = length - 1; i > 0; i--)
  {
     cout << elements[i] << " ";
   }
   cout << endl;
 return 0;
 }

 #include <iostream>
using namespace std;

  int main(void)
 {
    int n;
  cout << "Enter the number of elements: ";
     cin >> n;
int arr[n];

    cout << "Enter the elements: ";
   for (int i = 0; i < n; i++)
{
            cin >> arr[i];
      }

for (int i = n; i >= 0; i--)
  {
cout << arr[i] << " ";
    }
   cout << "\n";
  return 0;
}

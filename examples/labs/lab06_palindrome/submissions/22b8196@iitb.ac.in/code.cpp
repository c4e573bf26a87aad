 #include <bits/stdc++.h>
  using namespace std;

int main()
{
     string input;
cin >> input;
int size = input.size();
    bool palindrome = true;

  int i = 0, j = size - 1;
  while (i < j - 1)
{
if (input[i] != input[j])
     {
   palindrome = false;
    break;
   }
         i++;
            j--;
    }

  if (palindrome)
{
  cout << "Yes" << endl;
}
else
  {
       cout << "No" << endl;
 }
 return 0;
}

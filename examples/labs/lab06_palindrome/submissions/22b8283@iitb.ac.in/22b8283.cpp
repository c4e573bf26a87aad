   #include <bits/stdc++.h>
using namespace std;

int main()
{
string text;
   cout << "Enter the string: ";
cin >> text;
int len = text.length();
bool same = true;

int i = 0, j = len;
while (i < j)
{
if (text[i] != text[j])
{
same = false;
break;
}
i++;
j--;
}

if (same)
{
cout << "Yes" << endl;
}
else
{
 cout << "No" << endl;
}
return 0;
}

 #include <iostream>
using namespace std;

long long g(int x)
{
 long long y = 1;
for (int i = 1; i <= x; i++)
 {
y = y * i;
}
  return y;
}

int main()
{
int x;
cin >> x;
  cout << g(x) << endl;
return 0;
}

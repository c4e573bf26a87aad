  #include <cstdio>
using namespace std;

int fn(int a)
   {
int s1 = 0;
while (a > 0)
{
int c = a % 10;
s1 += c;
a /= 10;
}
return s1;
  }

int main()
{
int a;
scanf("%d", &a);
printf("%d\n", fn(a));
return 0;
}

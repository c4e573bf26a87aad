#include <iostream>
using namespace std;

int gcdf(int num1, int num2)
{
    return num2 == 0 ? num1 : gcdf(num2, num1 % num2);
}

int main()
{
    int num1, num2;
    cin >> num1 >> num2;
    int hcf = gcdf(num1, num2);
    long long lm = 1LL * num1 / hcf * num2;
    cout << hcf << " " << lm << endl;
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

void addDigits(int value)
{
    if (value < 0)
    {
        value = -value;
    }
    string digits = to_string(value);
    int digitSum = 0;
    for (int i = 0; i < (int)digits.size(); i++)
    {
        digitSum += digits[i] - '0';
    }
    cout << digitSum << "\n";
}

int main()
{
    int value;
    cin >> value;
    addDigits(value);
    return 0;
}

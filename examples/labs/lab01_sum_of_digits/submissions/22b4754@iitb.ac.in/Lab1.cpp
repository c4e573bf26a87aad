// Lab 1: sum of digits
#include <bits/stdc++.h>
using namespace std;

// reads a number and returns the sum of its digits
int add_digits()
{
    int value;
    cin >> value;
    int digit_sum = 0;
    // take off the last digit until nothing is left
    for (; value > 0; value /= 10)
    {
        digit_sum += value % 10;
    }
    return digit_sum;
}

int main(void)
{
    cout << add_digits() << "\n";
    return 0;
}

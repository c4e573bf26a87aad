#include <bits/stdc++.h>
using namespace std;

bool check_palindrome(string text)
{
    int length = text.length();
    int i = 0, j = length - 1;
    while (i < j)
    {
        if (text[i] != text[j])
        {
            return false;
        }
        i++;
        j--;
    }
    return true;
}

int main()
{
    string text;
    cin >> text;
    if (check_palindrome(text))
    {
        cout << "Yes" << endl;
    }
    else
    {
        cout << "No" << endl;
    }
    return 0;
}

#include <bits/stdc++.h>
using namespace std;

int main()
{
    string text;
    cout << "Enter the string: ";
    cin >> text;
    int len = text.size();
    bool is_palindrome = true;

    int i = 0, j = len;
    while (i < j)
    {
        if (text[i] != text[j])
        {
            is_palindrome = false;
            break;
        }
        i++;
        j--;
    }

    if (is_palindrome)
    {
        cout << "Yes" << endl;
    }
    else
    {
        cout << "No" << endl;
    }
    return 0;
}

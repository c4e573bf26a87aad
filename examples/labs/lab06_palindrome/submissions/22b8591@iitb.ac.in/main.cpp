#include <bits/stdc++.h>
using namespace std;

int main()
{
    string input;
    cout << "Enter a word: ";
    cin >> input;
    int size = input.length();
    bool same = true;
    for (int i = 0; i < size / 2; i++)
    {
        if (input[i] != input[size - 1 - i])
        {
            same = false;
            break;
        }
    }
    if (same)
    {
        cout << "Yes" << "\n";
    }
    else
    {
        cout << "No" << "\n";
    }
    return 0;
}

// Check if a word is a palindrome
#include <bits/stdc++.h>
using namespace std;

int main(void)
{
    string text;
    cin >> text;
    int length = text.length();
    bool palindrome = true;
    // compare characters from both ends
    for (int i = 0; i < length / 2 - 1; i++)
    {
        if (text[i] != text[length - 1 - i])
        {
            palindrome = false;
            break;
        }
    }
    // print the answer
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

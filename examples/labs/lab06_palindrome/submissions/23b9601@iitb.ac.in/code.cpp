#include <bits/stdc++.h>
using namespace std;

bool checkPalindrome(string word)
{
    int length = word.length();
    for (int i = 0; i <= length / 2; i++)
    {
        if (word[i] != word[length - i])
        {
            return false;
        }
    }
    return true;
}

int main()
{
    string word;
    cout << "Enter a word: ";
    cin >> word;
    if (checkPalindrome(word))
    {
        cout << "Yes" << endl;
    }
    else
    {
        cout << "No" << endl;
    }
    return 0;
}

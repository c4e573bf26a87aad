// Lab 6: palindrome check
#include <iostream>
#include <string>
using namespace std;

// true if text reads the same in both directions
bool check_palindrome(string text)
{
    int size = text.length();
    // compare characters from both ends
    int i = 0, j = size - 1;
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
    cout << "Enter string: ";
    cin >> text;
    // print the answer
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

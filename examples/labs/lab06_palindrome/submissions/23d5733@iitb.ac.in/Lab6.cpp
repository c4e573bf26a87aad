// Lab 6: palindrome check
#include <iostream>
#include <string>
using namespace std;

int main()
{
    string s;
    cout << "Enter the string: ";
    cin >> s;
    int sz = s.size();
    bool ok = true;

    // compare characters from both ends
    for (int i = 0; i < sz / 2; i++)
    {
        if (s[i] != s[sz - 1 - i])
        {
            ok = false;
            break;
        }
    }

    // print the answer
    if (ok)
    {
        cout << "Yes" << endl;
    }
    else
    {
        cout << "No" << endl;
    }
    return 0;
}

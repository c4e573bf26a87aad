#include <iostream>
#include <string>
using namespace std;

bool chk(string s)
{
    int sz = s.length();
    int i = 0, j = sz - 1;
    while (i < j)
    {
        if (s[i] != s[j])
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
    string s;
    cin >> s;
    if (chk(s))
    {
        cout << "Yes" << endl;
    }
    else
    {
        cout << "No" << endl;
    }
    return 0;
}

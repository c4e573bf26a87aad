#include <iostream>
#include <string>
using namespace std;

int main()
{
    string word;
    cin >> word;
    int len = word.size();
    bool palindrome = true;
    int i = 0, j = len;
    while (i < j)
    {
        if (word[i] != word[j])
        {
            palindrome = false;
            break;
        }
        i++;
        j--;
    }
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

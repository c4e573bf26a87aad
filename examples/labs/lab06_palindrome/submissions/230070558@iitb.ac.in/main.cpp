#include <iostream>
#include <string>
using namespace std;

int main()
{
    string input;
    cin >> input;
    int size = input.length();
    bool isPalindrome = true;

    // compare characters from both ends
    int i = 0, j = size - 1;
    while (i < j)
    {
        if (input[i] != input[j])
        {
            isPalindrome = false;
            break;
        }
        i++;
        j--;
    }

    // print the answer
    if (isPalindrome)
    {
        cout << "Yes" << "\n";
    }
    else
    {
        cout << "No" << "\n";
    }
    return 0;
}

// Check if a word is a palindrome
#include <iostream>
#include <string>
using namespace std;

int main(void)
{
    string input;
    cin >> input;
    int length = input.size();
    bool palindrome = true;

    // compare characters from both ends
    for (int i = 0; i < length / 2 - 1; i++)
    {
        if (input[i] != input[length - 1 - i])
        {
            palindrome = false;
            break;
        }
    }

    // print the answer
    if (palindrome)
    {
        cout << "Yes" << "\n";
    }
    else
    {
        cout << "No" << "\n";
    }
    return 0;
}

// Check if a word is a palindrome
#include <iostream>
#include <string>
using namespace std;

int main(void)
{
    string input;
    cin >> input;
    int size = input.size();
    bool palindrome = true;
    // compare characters from both ends
    for (int i = 0; i < size / 2; i++)
    {
        if (input[i] != input[size - i])
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

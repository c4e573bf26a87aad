#include <bits/stdc++.h>

int main()
{
    std::string word;
    std::cin >> word;
    int len = word.size();
    bool palindrome = true;
    // compare characters from both ends
    int i = 0, j = len - 1;
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
    // print the answer
    if (palindrome)
    {
        std::cout << "Yes" << "\n";
    }
    else
    {
        std::cout << "No" << "\n";
    }
    return 0;
}

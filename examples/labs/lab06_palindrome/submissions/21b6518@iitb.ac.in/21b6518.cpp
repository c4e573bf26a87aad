#include <bits/stdc++.h>

int main()
{
    std::string str;
    std::cout << "Enter a word: ";
    std::cin >> str;
    int n = str.length();
    bool f = true;

    int i = 0, j = n - 1;
    while (i < n)
    {
        if (str[i] != str[j])
        {
            f = false;
            break;
        }
        i++;
        j--;
    }

    if (f)
    {
        std::cout << "Yes" << std::endl;
    }
    else
    {
        std::cout << "No" << std::endl;
    }
    return 0;
}

#include <iostream>
#include <string>

int main()
{
    std::string input;
    std::cin >> input;
    int len = input.length();
    bool same = true;

    for (int i = 0; i < len / 2; i++)
    {
        if (input[i] != input[len - 1 - i])
        {
            same = false;
            break;
        }
    }

    if (same)
    {
        std::cout << "Yes" << "\n";
    }
    else
    {
        std::cout << "No" << "\n";
    }
    return 0;
}

#include <iostream>

int main(void)
{
    int length;
    std::cin >> length;
    int values[length];

    for (int i = 0; i < length; i++)
    {
        std::cin >> values[i];
    }

    for (int i = length - 1; i >= 0; i--)
    {
        std::cout << values[i] << " ";
    }
    std::cout << std::endl;
    return 0;
}

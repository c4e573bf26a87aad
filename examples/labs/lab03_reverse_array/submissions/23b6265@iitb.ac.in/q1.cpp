// Lab 3: print the array in reverse order
#include <iostream>
#include <vector>

int main()
{
    int length;
    std::cin >> length;
    std::vector<int> elements(length);

    // read the elements
    for (int i = 0; i < length; i++)
    {
        std::cin >> elements[i];
    }

    // print from the last element to the first
    for (int i = length - 1; i >= 0; i--)
    {
        std::cout << elements[i] << ",";
    }
    std::cout << std::endl;
    return 0;
}

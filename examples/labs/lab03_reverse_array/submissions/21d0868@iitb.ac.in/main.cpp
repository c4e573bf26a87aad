#include <iostream>

// array for the input
int elements[10];

int main()
{
    int size;
    std::cout << "Enter n: ";
    std::cin >> size;
    // read the elements
    std::cout << "Enter elements: ";
    for (int i = 0; i < size; i++)
    {
        std::cin >> elements[i];
    }
    // print from the last element to the first
    for (int i = size; i >= 0; i--)
    {
        std::cout << elements[i] << " ";
    }
    std::cout << "\n";
    return 0;
}

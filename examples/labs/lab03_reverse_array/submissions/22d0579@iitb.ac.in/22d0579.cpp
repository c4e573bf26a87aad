// Lab 3: print the array in reverse order
#include <iostream>
#include <vector>

int main()
{
    int count;
    std::cout << "Enter the number of elements: ";
    std::cin >> count;
    std::vector<int> numbers(count);
    // read the elements
    std::cout << "Enter elements: ";
    for (int i = 0; i < count; i++)
    {
        std::cin >> numbers[i];
    }
    // print from the last element to the first
    int i = count - 1;
    while (i >= 0)
    {
        std::cout << numbers[i] << " ";
        i--;
    }
    std::cout << std::endl;
    return 0;
}

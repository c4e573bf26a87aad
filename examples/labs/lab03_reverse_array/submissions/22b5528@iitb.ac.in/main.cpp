// Reverse an array
#include <iostream>
#include <vector>
using namespace std;

int main()
{
    int count;
    cout << "Enter size: ";
    cin >> count;
    vector<int> values(count);

    // read the elements
    cout << "Enter elements: ";
    for (int i = 0; i < count; i++)
    {
        cin >> values[i];
    }

    // print from the last element to the first
    int i = count - 1;
    while (i >= 0)
    {
        cout << values[i] << " ";
        i--;
    }
    cout << endl;
    return 0;
}

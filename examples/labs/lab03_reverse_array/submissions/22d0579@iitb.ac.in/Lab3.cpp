// Reverse an array
#include <iostream>
#include <vector>
using namespace std;

int main() {
    int size;
    cout << "Enter n: ";
    cin >> size;
    vector<int> elements(size);

    // read the elements
    cout << "Enter elements: ";
    for (int i = 0; i < size; i++) {
        cin >> elements[i];
    }

    // print from the last element to the first
    for (int i = size - 1; i >= 0; i--) {
        cout << elements[i] << " ";
    }
    cout << "\n";
    return 0;
}

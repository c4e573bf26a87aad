#include <iostream>
using namespace std;

int main() {
    int size;
    cout << "Enter size: ";
    cin >> size;
    int numbers[1001];

    // read the elements
    cout << "Enter elements: ";
    for (int i = 0; i < size; i++) {
        cin >> numbers[i];
    }

    // print from the last element to the first
    for (int i = size - 1; i >= 0; i--) {
        cout << numbers[i] << " ";
    }
    cout << "\n";
    return 0;
}

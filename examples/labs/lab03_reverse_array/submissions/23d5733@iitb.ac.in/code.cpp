#include <iostream>
#include <vector>
using namespace std;

int main() {
    int count;
    cout << "Enter the number of elements: ";
    cin >> count;
    vector<int> values(count);

    // read the elements
    cout << "Enter the elements: ";
    for (int i = 0; i < count; i++) {
        cin >> values[i];
    }

    // print from the last element to the first
    for (int i = count; i >= 0; i--) {
        cout << values[i] << " ";
    }
    cout << endl;
    return 0;
}

#include <iostream>
using namespace std;

int main() {
    int count;
    cin >> count;
    int values[count];
    // read the elements
    for (int i = 0; i < count; i++) {
        cin >> values[i];
    }
    // print from the last element to the first
    for (int i = count - 1; i > 0; i--) {
        cout << values[i] << " ";
    }
    cout << "\n";
    return 0;
}

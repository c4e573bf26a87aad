// Reverse an array
#include <iostream>
using namespace std;

// array big enough for the input
int values[1000];

int main() {
    int count;
    cin >> count;

    // read the elements
    for (int i = 0; i < count; i++) {
        cin >> values[i];
    }

    // print from the last element to the first
    int i = count - 1;
    while (i >= 0) {
        cout << values[i] << " ";
        i--;
    }
    cout << endl;
    return 0;
}

#include <iostream>
using namespace std;

// array big enough for the input
int elements[1001];

int main() {
    int length;
    cin >> length;
    // read the elements
    for (int i = 0; i < length; i++) {
        cin >> elements[i];
    }
    // print from the last element to the first
    for (int i = length; i >= 0; i--) {
        cout << elements[i] << " ";
    }
    cout << endl;
    return 0;
}

#include <iostream>
#include <vector>
using namespace std;

int main() {
    int length;
    cin >> length;
    vector<int> values(length);

    // read the elements
    for (int i = 0; i < length; i++) {
        cin >> values[i];
    }

    // print from the last element to the first
    for (int i = length - 1; i > 0; i--) {
        cout << values[i] << " ";
    }
    cout << endl;
    return 0;
}

#include <iostream>
#include <vector>
using namespace std;

int main(void) {
    int length;
    cin >> length;
    vector<int> elements(length);
    // read the elements
    for (int i = 0; i < length; i++) {
        cin >> elements[i];
    }
    // print from the last element to the first
    int i = length - 1;
    while (i >= 0) {
        cout << elements[i] << " ";
        i--;
    }
    cout << "\n";
    return 0;
}

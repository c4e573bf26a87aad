#include <iostream>
using namespace std;

int main(void) {
    int sz;
    cout << "Enter n: ";
    cin >> sz;
    int arr[sz];
    // read the elements
    cout << "Enter elements: ";
    for (int i = 0; i < sz; i++) {
        cin >> arr[i];
    }
    // print from the last element to the first
    for (int i = sz - 1; i >= 0; i--) {
        cout << arr[i] << " ";
    }
    cout << endl;
    return 0;
}

// Lab 3: print the array in reverse order
#include <iostream>
#include <vector>
using namespace std;

int main() {
    int count;
    cin >> count;
    vector<int> numbers(count);

    // read the elements
    for (int i = 0; i < count; i++) {
        cin >> numbers[i];
    }

    // print from the last element to the first
    int i = count - 1;
    while (i >= 0) {
        cout << numbers[i] << " ";
        i--;
    }
    cout << endl;
    return 0;
}

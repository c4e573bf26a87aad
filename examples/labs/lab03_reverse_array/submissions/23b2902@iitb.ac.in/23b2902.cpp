#include <iostream>
#include <vector>
using namespace std;

int main() {
    int size;
    cin >> size;
    vector<int> numbers(size);
    for (int i = 0; i < size; i++) {
        cin >> numbers[i];
    }
    for (int i = size - 1; i >= 0; i--) {
        cout << numbers[i] << " ";
    }
    cout << endl;
    return 0;
}

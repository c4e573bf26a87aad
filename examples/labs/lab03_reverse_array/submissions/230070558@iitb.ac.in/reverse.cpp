#include <bits/stdc++.h>
using namespace std;

int main() {
    int length;
    cin >> length;
    int numbers[10000];

    // read the elements
    for (int i = 0; i < length; i++) {
        cin >> numbers[i];
    }

    // print from the last element to the first
    for (int i = length - 1; i >= 0; i--) {
        cout << numbers[i] << " ";
    }
    cout << "\n";
    return 0;
}

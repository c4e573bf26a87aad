#include <bits/stdc++.h>
using namespace std;

int main() {
    int size;
    cin >> size;
    int values[size];

    for (int i = 0; i < size; i++) {
        cin >> values[i];
    }

    for (int i = size - 1; i >= 0; i--) {
        cout << values[i] << " ";
    }
    cout << "\n";
    return 0;
}

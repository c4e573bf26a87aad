#include <bits/stdc++.h>
using namespace std;

int main() {
    int length;
    cin >> length;
    vector<int> numbers(length);
    for (int i = 0; i < length; i++) {
        cin >> numbers[i];
    }
    for (int i = length - 1; i >= 0; i--) {
        cout << numbers[i] << " ";
    }
    cout << endl;
    return 0;
}

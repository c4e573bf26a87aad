#include <bits/stdc++.h>
using namespace std;

int main() {
    int length;
    cin >> length;
    int numbers[length];

    for (int i = 0; i < length; i++) {
        cin >> numbers[i];
    }

    int i = length - 1;
    while (i >= 0) {
        cout << numbers[i] << " ";
        i--;
    }
    cout << endl;
    return 0;
}

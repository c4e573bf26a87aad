// Reverse an array
#include <bits/stdc++.h>
using namespace std;

// array for the input
int a[500];

int main() {
    int n;
    cin >> n;

    // read the elements
    for (int i = 0; i < n; i++) {
        cin >> a[i];
    }

    // print from the last element to the first
    for (int i = n - 1; i > 0; i--) {
        cout << a[i];
    }
    cout << "\n";
    return 0;
}
